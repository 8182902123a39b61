package org.kindred.server.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A content rule a room may have ({@code docs/safety.md}): what it catches is matched by the safety package; who it
 * applies to and what happens to a post it catches are said here. Mentors, facilitators and moderators are trusted:
 * rules apply to plain members' posts only.
 */
public enum RoomRule {
    /** New members may not post links, e-mail addresses or phone numbers (the rule of a room that names none). */
    NEW_MEMBER_CONTACTS("new_member_contacts", true, false),
    /** Nobody but staff may post links. */
    NO_LINKS("no_links", false, false),
    /** A message that names a medication dose waits for a moderator's review before anyone sees it. */
    HOLD_DOSES("hold_doses", false, true);

    /** The rules of a room that names none. */
    public static final Set<RoomRule> DEFAULTS = Set.of(NEW_MEMBER_CONTACTS);

    private final String wire;
    private final boolean newMembersOnly;
    private final boolean holds;

    RoomRule(String wire, boolean newMembersOnly, boolean holds) {
        this.wire = wire;
        this.newMembersOnly = newMembersOnly;
        this.holds = holds;
    }

    /** The name in the configuration, e.g. {@code "no_links"}. */
    public String wire() {
        return wire;
    }

    /** Whether the rule applies to a post by a plain member, new or not. */
    public boolean appliesTo(boolean newMember) {
        return newMember || !newMembersOnly;
    }

    /** Whether a post the rule catches is held for review (true) or refused at once (false). */
    public boolean holds() {
        return holds;
    }

    /** The rule with this name, if any. */
    public static Optional<RoomRule> fromWire(String wire) {
        return Arrays.stream(values()).filter(rule -> rule.wire.equals(wire)).findFirst();
    }

    /** Every name, for messages that list what is expected. */
    public static List<String> wireNames() {
        return Arrays.stream(values()).map(RoomRule::wire).sorted().toList();
    }
}
