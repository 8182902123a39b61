package org.kindred.server.safety;

import java.util.Arrays;

/**
 * The ladder of sanctions a moderator applies ({@code docs/safety.md}), with what each one stops. A warning is only
 * told; the others stay in force until they end or are lifted and are checked on the member's commands.
 */
public enum SanctionKind {
    /** Told, recorded in the audit log, nothing more. */
    WARN("warn", null),
    /** The member reads but cannot post or type anywhere, for a while. */
    TIMEOUT("timeout", "you are in a timeout: you can read but not post"),
    /** Rooms are read-only for the member; one-to-one support stays open to it. */
    RESTRICT("restrict", "rooms are read-only for you; one-to-one support is still open"),
    /** The member is out of one room: it cannot join, read or post there. */
    ROOM_BAN("room_ban", "you are banned from this room"),
    /** The member is signed out everywhere and cannot sign in. */
    SERVICE_BAN("service_ban", "you are banned from this service");

    private final String wire;
    private final String toldMember;

    SanctionKind(String wire, String toldMember) {
        this.wire = wire;
        this.toldMember = toldMember;
    }

    /** The name on the wire, e.g. {@code "room_ban"}. */
    public String wire() {
        return wire;
    }

    /** Whether it stays in force (every kind but a warning). */
    public boolean lasts() {
        return this != WARN;
    }

    /** Whether it is about one room (the sanction names it). */
    public boolean isAboutOneRoom() {
        return this == ROOM_BAN;
    }

    /** What the member is told when the sanction refuses one of its commands. */
    String toldMember() {
        return toldMember;
    }

    /** The kind with this wire name; the protocol has checked it already. */
    public static SanctionKind fromWire(String wire) {
        return Arrays.stream(values())
                .filter(kind -> kind.wire.equals(wire))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("kind: '" + wire + "' (expected: a sanction kind)"));
    }
}
