package org.kindred.protocol;

import static org.kindred.protocol.InvalidMessageException.required;

import java.util.List;

/**
 * A room in the room list.
 *
 * @param id          the room id used in commands
 * @param title       a short title
 * @param description what the room is for, including its rules in brief
 * @param tags        condition tags, for example {@code diabetes}
 * @param online      how many distinct users are in the room now
 * @param writable    whether the requesting user may post (some rooms are announcements by staff only)
 */
public record RoomInfo(String id, String title, String description, List<String> tags, int online, boolean writable) {
    public RoomInfo {
        required(id, "id");
        required(title, "title");
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
    }
}
