package org.kindred.server.support;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.kindred.protocol.UserInfo;

/** A one-to-one session and its record. Guarded by {@link SupportService}'s lock. */
final class SupportSession {

    final String id;
    final String requestId;
    final UserInfo member;
    final String condition;
    final String language;
    final long startedAt;
    /** The mentor now, or null while the session waits for the next one (after a drop or a hand-off). */
    UserInfo mentor;
    /** Every mentor who held the session, for their notes. */
    final Set<String> mentorsEver = new LinkedHashSet<>();

    long lastActivity;
    long endedAt = -1;
    Handoff handoff;
    Integer rating;
    String comment;
    final List<String> mentorNotes = new ArrayList<>();

    record Handoff(UserInfo from, UserInfo to, String reason) {}

    SupportSession(String id, String requestId, UserInfo member, String condition, String language, long startedAt) {
        this.id = id;
        this.requestId = requestId;
        this.member = member;
        this.condition = condition;
        this.language = language;
        this.startedAt = startedAt;
        this.lastActivity = startedAt;
    }

    boolean ended() {
        return endedAt >= 0;
    }

    boolean isParticipant(String userId) {
        return member.id().equals(userId) || mentor != null && mentor.id().equals(userId);
    }
}
