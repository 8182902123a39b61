package org.kindred.server.support;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kindred.protocol.UserInfo;

/** A mentor's availability and load. Guarded by {@link SupportService}'s lock. */
final class Mentor {

    final UserInfo user;
    boolean available;
    /** Marked experienced by the community (token claim): offered crisis requests first. */
    boolean experienced;

    List<String> conditions = List.of();
    List<String> languages = List.of();
    int capacity;
    final Set<String> sessions = new LinkedHashSet<>();
    /** The request offered to this mentor now, or null: one offer at a time. */
    String offeredRequest;

    long lastAssignedAt;
    /** When the mentor's last connection went, or -1 while it is connected. */
    long disconnectedAt = -1;

    Mentor(UserInfo user) {
        this.user = user;
    }

    boolean connected() {
        return disconnectedAt < 0;
    }

    boolean fits(Request request) {
        return conditions.contains(request.condition) && languages.contains(request.language);
    }

    boolean canTakeMore() {
        return sessions.size() < capacity;
    }
}
