package org.kindred.server.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.kindred.protocol.UserInfo;

/**
 * Everything {@link SupportService} holds, as plain values: what a cluster keeps in Redis between two commands, so
 * that any node can carry out the next one.
 */
public record SupportState(
        List<MentorState> mentors,
        List<RequestState> requests,
        List<SessionState> sessions,
        Map<String, String> matched,
        double averageWaitSeconds,
        Map<String, List<String>> online,
        Map<String, ExpiredRequest> expiredWhileAway) {

    /** A state without requests that expired while their member was away. */
    public SupportState(
            List<MentorState> mentors,
            List<RequestState> requests,
            List<SessionState> sessions,
            Map<String, String> matched,
            double averageWaitSeconds,
            Map<String, List<String>> online) {
        this(mentors, requests, sessions, matched, averageWaitSeconds, online, Map.of());
    }

    /** A request dropped while its member was gone past the grace: told when the member comes back. */
    public record ExpiredRequest(String requestId, long at) {}

    public SupportState {
        expiredWhileAway = expiredWhileAway == null ? Map.of() : Map.copyOf(expiredWhileAway);
        mentors = List.copyOf(mentors);
        requests = List.copyOf(requests);
        sessions = List.copyOf(sessions);
        // Eldest first: the ledger forgets the eldest matches beyond its bound, so the order must survive a reload.
        matched = Collections.unmodifiableMap(new LinkedHashMap<>(matched));
        online = Map.copyOf(online);
    }

    public record MentorState(
            UserInfo user,
            boolean experienced,
            boolean available,
            List<String> conditions,
            List<String> languages,
            int capacity,
            List<String> sessions,
            String offeredRequest,
            long lastAssignedAt,
            long disconnectedAt) {}

    public record RequestState(
            String id,
            UserInfo member,
            String condition,
            String language,
            String note,
            long createdAt,
            String sessionId,
            boolean urgent,
            String preferredMentorId,
            String offeredTo,
            long offerExpiresAt,
            Map<String, Long> passedBy,
            boolean toldUnavailable,
            long memberGoneAt,
            int sentPosition,
            long sentEstimate,
            boolean sentOffered) {

        /**
         * Equal when everything but what the member was last told is equal: those three fields follow every change of
         * the queue, so a cluster compares requests without them and writes them along with a request only when
         * something else of it changed (a member may then hear its position once more, from another node).
         */
        @Override
        public boolean equals(Object other) {
            return other instanceof RequestState r
                    && id.equals(r.id)
                    && member.equals(r.member)
                    && condition.equals(r.condition)
                    && language.equals(r.language)
                    && java.util.Objects.equals(note, r.note)
                    && createdAt == r.createdAt
                    && java.util.Objects.equals(sessionId, r.sessionId)
                    && urgent == r.urgent
                    && java.util.Objects.equals(preferredMentorId, r.preferredMentorId)
                    && java.util.Objects.equals(offeredTo, r.offeredTo)
                    && offerExpiresAt == r.offerExpiresAt
                    && passedBy.equals(r.passedBy)
                    && toldUnavailable == r.toldUnavailable
                    && memberGoneAt == r.memberGoneAt;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(id, offeredTo, offerExpiresAt, memberGoneAt);
        }
    }

    public record SessionState(
            String id,
            String requestId,
            UserInfo member,
            String condition,
            String language,
            long startedAt,
            UserInfo mentor,
            List<String> mentorsEver,
            long lastActivity,
            long endedAt,
            UserInfo handoffFrom,
            UserInfo handoffTo,
            String handoffReason,
            Integer rating,
            String comment,
            List<String> mentorNotes) {}
}
