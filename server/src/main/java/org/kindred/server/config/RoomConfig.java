package org.kindred.server.config;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.kindred.server.identity.Role;

/**
 * A room that exists from start-up.
 *
 * @param id          stable identifier used on the wire: {@code [a-z0-9][a-z0-9_-]{0,63}}
 * @param title       what clients show, 1 to 80 characters
 * @param description one or two sentences, including the room's rules; empty if {@code null}
 * @param tags        free-form labels for clients to group rooms by; empty if {@code null}
 * @param writers     wire names of the roles allowed to post ({@code "facilitator"}, ...); empty (or {@code null})
 *                    means everyone may post (of those who may read it).
 * @param rules       content rules; {@code null} means {@link RoomRule#DEFAULTS}, empty means none
 * @param countOnly   members see only how many are present, never who ({@code presence: count} in the file); for
 *                    rooms whose very membership is sensitive
 * @param audience    who may read the room; {@code null} means {@link RoomAudience#EVERYONE}
 */
public record RoomConfig(
        String id,
        String title,
        String description,
        List<String> tags,
        Set<String> writers,
        Set<RoomRule> rules,
        boolean countOnly,
        RoomAudience audience) {

    /** The values of {@code presence} in the configuration file: names (the default) or count only. */
    public static final List<String> PRESENCE_VALUES = List.of("names", "count");

    /** A room everyone may read, that shows who is present. */
    public RoomConfig(
            String id, String title, String description, List<String> tags, Set<String> writers, Set<RoomRule> rules) {
        this(id, title, description, tags, writers, rules, false, RoomAudience.EVERYONE);
    }

    /** A room everyone may read, showing who is present or only how many. */
    public RoomConfig(
            String id,
            String title,
            String description,
            List<String> tags,
            Set<String> writers,
            Set<RoomRule> rules,
            boolean countOnly) {
        this(id, title, description, tags, writers, rules, countOnly, RoomAudience.EVERYONE);
    }

    /** A room that shows who is present, read by an audience. */
    public RoomConfig(
            String id,
            String title,
            String description,
            List<String> tags,
            Set<String> writers,
            Set<RoomRule> rules,
            RoomAudience audience) {
        this(id, title, description, tags, writers, rules, false, audience);
    }

    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");
    public static final int MAX_TITLE_LENGTH = 80;

    public RoomConfig {
        if (id == null || !ID.matcher(id).matches()) {
            throw ConfigException.about(
                    "rooms",
                    "room id: " + quote(id)
                            + " (expected: 1-64 of a-z, 0-9, '-', '_', starting with a letter or digit)");
        }
        if (title == null || title.isBlank() || title.length() > MAX_TITLE_LENGTH) {
            throw ConfigException.about(
                    "rooms",
                    "room '" + id + "' title: " + quote(title) + " (expected: 1-" + MAX_TITLE_LENGTH + " characters)");
        }
        description = description == null ? "" : description;
        tags = tags == null ? List.of() : List.copyOf(tags);
        for (String tag : tags) {
            if (tag.isBlank()) {
                throw ConfigException.about("rooms", "room '" + id + "' tags: blank tag (expected: non-blank)");
            }
        }
        writers = writers == null ? Set.of() : checkedRoles(id, writers);
        rules = rules == null ? RoomRule.DEFAULTS : Set.copyOf(rules);
        audience = audience == null ? RoomAudience.EVERYONE : audience;
    }

    /**
     * The room's settings as the server API and the database show them: {@code title}, {@code description},
     * {@code tags}, {@code writers}, {@code rules} (wire names, sorted), {@code presence} ({@code names} or
     * {@code count}) and {@code audience}.
     */
    public java.util.Map<String, Object> settings() {
        java.util.Map<String, Object> settings = new java.util.LinkedHashMap<>();
        settings.put("title", title);
        settings.put("description", description);
        settings.put("tags", tags);
        settings.put("writers", writers);
        settings.put("rules", rules.stream().map(RoomRule::wire).sorted().toList());
        settings.put("presence", countOnly ? "count" : "names");
        settings.put("audience", audience.toMap());
        return settings;
    }

    /** This room with another audience. */
    public RoomConfig withAudience(RoomAudience audience) {
        return new RoomConfig(id, title, description, tags, writers, rules, countOnly, audience);
    }

    /**
     * A room whose content rules are named as in the configuration file.
     *
     * @param ruleNames rule names ({@link RoomRule#wireNames()}); {@code null} means the default rules
     */
    public static RoomConfig withRuleNames(
            String id,
            String title,
            String description,
            List<String> tags,
            Set<String> writers,
            Set<String> ruleNames) {
        if (ruleNames == null) {
            return new RoomConfig(id, title, description, tags, writers, null);
        }
        Set<RoomRule> rules = EnumSet.noneOf(RoomRule.class);
        for (String name : ruleNames) {
            rules.add(RoomRule.fromWire(name)
                    .orElseThrow(() -> ConfigException.about(
                            "rooms",
                            "room '" + id + "' rules: " + quote(name) + " is not a rule (expected: one of "
                                    + RoomRule.wireNames() + ")")));
        }
        return new RoomConfig(id, title, description, tags, writers, rules);
    }

    /**
     * The same room with its presence as named in the file: {@code names} or {@code count}.
     *
     * @throws ConfigException for any other value
     */
    public RoomConfig withPresence(String presence) {
        if (presence == null || !PRESENCE_VALUES.contains(presence)) {
            throw ConfigException.about(
                    "rooms",
                    "room '" + id + "' presence: " + quote(presence) + " (expected: one of " + PRESENCE_VALUES + ")");
        }
        return new RoomConfig(id, title, description, tags, writers, rules, presence.equals("count"), audience);
    }

    /** A room with the default content rules. */
    public RoomConfig(String id, String title, String description, List<String> tags, Set<String> writers) {
        this(id, title, description, tags, writers, null);
    }

    /** A room everyone may post in, without tags. */
    public static RoomConfig of(String id, String title, String description) {
        return new RoomConfig(id, title, description, List.of(), Set.of());
    }

    /** Whether a user holding these roles (wire names) may post here. */
    public boolean writableBy(Collection<String> roleNames) {
        return writers.isEmpty() || roleNames.stream().anyMatch(writers::contains);
    }

    // Insertion order is kept so that toString() and the wire show writers as the operator wrote them.
    private static Set<String> checkedRoles(String id, Collection<String> writers) {
        Set<String> checked = new LinkedHashSet<>();
        for (String writer : writers) {
            if (writer == null || Role.fromWire(writer).isEmpty()) {
                throw ConfigException.about(
                        "rooms",
                        "room '" + id + "' writers: " + quote(writer) + " is not a role (expected: one of "
                                + Role.wireNames() + ")");
            }
            checked.add(writer);
        }
        return Collections.unmodifiableSet(checked);
    }

    private static String quote(String s) {
        return s == null ? "null" : "'" + s + "'";
    }
}
