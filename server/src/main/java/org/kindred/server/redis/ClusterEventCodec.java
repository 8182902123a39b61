package org.kindred.server.redis;

import java.util.ArrayList;
import java.util.List;

/**
 * The wire form of a {@link ClusterEvent}: its kind on the first line, then one line per field; the last field runs to
 * the end (a JSON frame). A field other than the last has its backslashes and line breaks escaped, so a user id can
 * never pass for a kind or shift the fields. The Lua scripts write {@code message}, {@code presence_joined} and
 * {@code presence_left} events in this same form.
 */
final class ClusterEventCodec {

    private ClusterEventCodec() {}

    static String encode(ClusterEvent event) {
        return switch (event) {
            case ClusterEvent.RoomMessage e -> join("message", e.epoch(), e.message());
            case ClusterEvent.PresenceJoined e -> join("presence_joined", e.event());
            case ClusterEvent.PresenceLeft e -> join("presence_left", e.event());
            case ClusterEvent.Typing e -> join("typing", e.event());
            case ClusterEvent.Deleted e -> join("deleted", e.event());
            case ClusterEvent.Edited e -> join("edited", e.event());
            case ClusterEvent.ToUser e -> join("to_user", e.userId(), e.frame());
            case ClusterEvent.ToUserExcept e -> join("to_user_except", e.userId(), e.except(), e.frame());
            case ClusterEvent.ToModerators e -> join("to_moderators", e.frame());
            case ClusterEvent.EntitiesChanged e -> join("entities_changed", e.nodeId(), e.changes());
            case ClusterEvent.Evict e -> join("evict", e.room(), e.userId());
            case ClusterEvent.CloseRoom e -> join("close_room", e.room());
            case ClusterEvent.SanctionApplied e -> join("sanction_applied", e.sanction());
            case ClusterEvent.SanctionLifted e -> join("sanction_lifted", e.sanction());
            case ClusterEvent.Blocked e -> join("blocked", e.blocker(), e.blocked());
            case ClusterEvent.Unblocked e -> join("unblocked", e.blocker(), e.blocked());
            case ClusterEvent.RoomChanged e -> join("room_changed", e.room());
        };
    }

    /** @throws IllegalArgumentException naming what is wrong, for an event of no known kind or a missing field */
    static ClusterEvent decode(String payload) {
        int newline = payload.indexOf('\n');
        if (newline < 0) {
            throw new IllegalArgumentException("cluster event without fields");
        }
        String kind = payload.substring(0, newline);
        String rest = payload.substring(newline + 1);
        return switch (kind) {
            case "message" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.RoomMessage(f.get(0), f.get(1));
            }
            case "presence_joined" -> new ClusterEvent.PresenceJoined(rest);
            case "presence_left" -> new ClusterEvent.PresenceLeft(rest);
            case "typing" -> new ClusterEvent.Typing(rest);
            case "deleted" -> new ClusterEvent.Deleted(rest);
            case "edited" -> new ClusterEvent.Edited(rest);
            case "to_user" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.ToUser(f.get(0), f.get(1));
            }
            case "to_user_except" -> {
                List<String> f = split(rest, 3);
                yield new ClusterEvent.ToUserExcept(f.get(0), f.get(1), f.get(2));
            }
            case "to_moderators" -> new ClusterEvent.ToModerators(rest);
            case "entities_changed" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.EntitiesChanged(f.get(0), f.get(1));
            }
            case "evict" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.Evict(f.get(0), f.get(1));
            }
            case "close_room" -> new ClusterEvent.CloseRoom(rest);
            case "room_changed" -> new ClusterEvent.RoomChanged(rest);
            case "sanction_applied" -> new ClusterEvent.SanctionApplied(rest);
            case "sanction_lifted" -> new ClusterEvent.SanctionLifted(rest);
            case "blocked" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.Blocked(f.get(0), f.get(1));
            }
            case "unblocked" -> {
                List<String> f = split(rest, 2);
                yield new ClusterEvent.Unblocked(f.get(0), f.get(1));
            }
            default -> throw new IllegalArgumentException("cluster event of unknown kind '" + escape(kind) + "'");
        };
    }

    private static String join(String kind, String... fields) {
        StringBuilder out = new StringBuilder(kind);
        for (int i = 0; i < fields.length; i++) {
            out.append('\n').append(i < fields.length - 1 ? escape(fields[i]) : fields[i]);
        }
        return out.toString();
    }

    /** The fields of an event body: {@code count - 1} escaped lines, then the rest as it is. */
    private static List<String> split(String body, int count) {
        List<String> fields = new ArrayList<>(count);
        int from = 0;
        for (int i = 0; i < count - 1; i++) {
            int newline = body.indexOf('\n', from);
            if (newline < 0) {
                throw new IllegalArgumentException(
                        "cluster event with " + (i + 1) + " fields (expected: " + count + ")");
            }
            fields.add(unescape(body.substring(from, newline)));
            from = newline + 1;
        }
        fields.add(body.substring(from));
        return fields;
    }

    private static String escape(String field) {
        return field.indexOf('\\') < 0 && field.indexOf('\n') < 0
                ? field
                : field.replace("\\", "\\\\").replace("\n", "\\n");
    }

    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 1 < field.length()) {
                char next = field.charAt(++i);
                out.append(next == 'n' ? '\n' : next);
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
