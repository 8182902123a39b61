package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

import java.util.List;

/**
 * A room made at run time as moderators manage it: its whole configuration and its state. The configuration file's
 * rooms are not managed over the protocol (they change in the file only).
 *
 * @param id          the room id used in commands
 * @param title       a short title
 * @param description what the room is for, including its rules in brief
 * @param tags        condition tags, for example {@code diabetes}
 * @param writers     roles that may post; empty means everyone who may read it
 * @param rules       content rules by wire name ({@code no_links}, ...), sorted
 * @param presence    {@code names} (members see who is here) or {@code count} (only how many)
 * @param audience    who may read the room
 * @param archived    archived rooms keep their history but are not listed nor joinable until restored
 * @param createdBy   who made it: a moderator's user id, or {@code api:NAME} for the server API
 * @param createdAt   when, milliseconds since the epoch (UTC)
 * @param updatedAt   the last create, edit, archive or restore, milliseconds since the epoch (UTC)
 */
public record ManagedRoom(
        String id,
        String title,
        String description,
        List<String> tags,
        List<String> writers,
        List<String> rules,
        String presence,
        RoomAudienceInfo audience,
        boolean archived,
        String createdBy,
        long createdAt,
        long updatedAt) {
    public ManagedRoom {
        required(id, "id");
        required(title, "title");
        required(description, "description");
        tags = List.copyOf(required(tags, "tags"));
        writers = List.copyOf(required(writers, "writers"));
        rules = List.copyOf(required(rules, "rules"));
        required(presence, "presence");
        required(audience, "audience");
        required(createdBy, "createdBy");
    }
}
