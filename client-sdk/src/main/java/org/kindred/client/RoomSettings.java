package org.kindred.client;

import java.util.List;
import org.kindred.protocol.RoomAudienceInfo;

/**
 * A room's settings for {@link KindredClient#createRoom} (start from {@link #titled}) or the changes of
 * {@link KindredClient#editRoom} (start from {@link #changes()}: a setting left null stays as it is). The server checks
 * every value (ids, title length, roles, rules, claim names) and refuses with {@code invalid_field}.
 *
 * <pre>{@code
 * moderator.createRoom("night-owls", RoomSettings.titled("Night owls")
 *         .withTags(List.of("sleep"))
 *         .withCountOnlyPresence(true)).get();
 * moderator.editRoom("night-owls", RoomSettings.changes().withTitle("Night owls (3am)")).get();
 * }</pre>
 *
 * @param title       what clients show, 1 to 80 characters
 * @param description what the room is for, including its rules in brief
 * @param tags        condition tags
 * @param writers     roles that may post; empty means everyone who may read it
 * @param rules       content rules by wire name ({@code new_member_contacts}, {@code no_links}, {@code hold_doses});
 *                    null at creation means the server's default, empty means none
 * @param countOnly   {@code true}: members see only how many are here, never who
 * @param audience    who may read the room; null at creation means everyone
 */
public record RoomSettings(
        String title,
        String description,
        List<String> tags,
        List<String> writers,
        List<String> rules,
        Boolean countOnly,
        RoomAudienceInfo audience) {

    /** A new room's settings: its title, the rest as the server's defaults. */
    public static RoomSettings titled(String title) {
        return new RoomSettings(title, null, null, null, null, null, null);
    }

    /** No change yet: for {@link KindredClient#editRoom}. */
    public static RoomSettings changes() {
        return new RoomSettings(null, null, null, null, null, null, null);
    }

    public RoomSettings withTitle(String title) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withDescription(String description) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withTags(List<String> tags) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withWriters(List<String> writers) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withRules(List<String> rules) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withCountOnlyPresence(boolean countOnly) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    public RoomSettings withAudience(RoomAudienceInfo audience) {
        return new RoomSettings(title, description, tags, writers, rules, countOnly, audience);
    }

    /** The wire's {@code presence}: null when unchanged. */
    String presence() {
        return countOnly == null ? null : countOnly ? "count" : "names";
    }
}
