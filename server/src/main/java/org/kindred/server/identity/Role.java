package org.kindred.server.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a user may do. Declared from lowest to highest rank, so {@code compareTo} orders by rank and the highest role a
 * user holds is their primary role (the one clients show next to the pseudonym).
 */
public enum Role {
    /** Anyone who signs in: reads and posts in open rooms. */
    MEMBER("member"),
    /** An experienced member who volunteers to support others one to one. */
    MENTOR("mentor"),
    /** Runs group sessions and posts announcements. */
    FACILITATOR("facilitator"),
    /** Keeps rooms safe: acts on reports, warns, mutes and bans. */
    MODERATOR("moderator");

    private static final List<String> WIRE_NAMES =
            Arrays.stream(values()).map(Role::wire).toList();

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    /** The name in tokens, configuration and on the wire, e.g. {@code "member"}. */
    public String wire() {
        return wire;
    }

    /** The role with this exact wire name (lower case), if any. */
    public static Optional<Role> fromWire(String wire) {
        for (Role role : values()) {
            if (role.wire.equals(wire)) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }

    /** Every wire name, lowest rank first; for messages that list what is expected. */
    public static List<String> wireNames() {
        return WIRE_NAMES;
    }
}
