package org.kindred.server.support;

import java.util.HashMap;
import java.util.Map;
import org.kindred.protocol.UserInfo;

/** A member's open support request. Guarded by {@link SupportService}'s lock. */
final class Request {

    final String id;
    final UserInfo member;
    final String condition;
    final String language;
    final String note;
    final long createdAt;
    /** Set when the request continues a session (a hand-off, or a mentor who dropped); it goes to the front. */
    final String sessionId;
    /** The member's note read like a crisis: served before other new requests. */
    boolean urgent;
    /** A hand-off to a named mentor is offered to that mentor first. */
    String preferredMentorId;

    String offeredTo;
    long offerExpiresAt;
    /** Mentors who declined or let an offer expire, with when: they are asked again only after a while. */
    final Map<String, Long> passedBy = new HashMap<>();

    boolean toldUnavailable;
    /** When the member's last connection went, or -1 while it is connected. */
    long memberGoneAt = -1;
    /** The position and estimate last sent to the member, to send only changes. */
    int sentPosition = -1;

    long sentEstimate = -1;
    boolean sentOffered;

    Request(
            String id,
            UserInfo member,
            String condition,
            String language,
            String note,
            long createdAt,
            String sessionId) {
        this.id = id;
        this.member = member;
        this.condition = condition;
        this.language = language;
        this.note = note;
        this.createdAt = createdAt;
        this.sessionId = sessionId;
    }

    boolean continuesSession() {
        return sessionId != null;
    }
}
