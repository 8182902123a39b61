package org.kindred.server.support;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;

/**
 * The queue and the matching rule ({@code docs/support.md}): requests are served in queue order — continuations of a
 * session first, then requests whose note reads like a crisis, then oldest first — each offered to one mentor at a
 * time: a connected, available mentor who covers its condition and language, has a free place, holds no other offer
 * and has not passed on it recently; among those, the fewest sessions, then the longest since its last assignment.
 * Also what the queue tells waiting members, and how requests and sessions end. Called under the ledger's lock.
 */
final class Matchmaker {

    private final SupportLedger ledger;
    private final Predicate<String> nearby;

    /**
     * @param nearby users connected through this node: among mentors otherwise ranked equal they are offered first,
     *     and of waiting members, they are the ones this node tells where they stand
     */
    Matchmaker(SupportLedger ledger, Predicate<String> nearby) {
        this.ledger = ledger;
        this.nearby = nearby;
    }

    /** A hand-off in progress: the member still has its mentor, so nobody being free is no emergency. */
    boolean stillHasMentor(Request request) {
        SupportSession session = request.continuesSession() ? ledger.sessions.get(request.sessionId) : null;
        return session != null && session.mentor != null;
    }

    /**
     * Requests in the order they are served: continuations of sessions first, then requests whose note read like a
     * crisis, then oldest first.
     */
    List<Request> queue() {
        List<Request> queue = new ArrayList<>(ledger.requests.values());
        queue.sort(Comparator.comparing((Request r) -> !r.continuesSession())
                .thenComparing(r -> !r.urgent)
                .thenComparingLong(r -> r.createdAt));
        return queue;
    }

    /**
     * Offers waiting requests to free mentors, in queue order. The mentors who could take an offer are found once per
     * call, and the walk stops when none is left: with a long queue and every mentor busy (a bad night), this runs on
     * every request, pass and session end, so it must not cost queue length × mentors.
     */
    void match() {
        long now = ledger.clock.millis();
        List<Mentor> free = new ArrayList<>();
        for (Mentor m : ledger.mentors.values()) {
            if (m.available && m.connected() && m.offeredRequest == null && m.canTakeMore()) {
                free.add(m);
            }
        }
        if (free.isEmpty()) {
            return;
        }
        for (Request request : queue()) {
            if (request.offeredTo != null) {
                continue;
            }
            Optional<Mentor> chosen = chooseMentor(request, now, free);
            if (chosen.isPresent()) {
                offer(request, chosen.get(), now);
                free.remove(chosen.get()); // one offer at a time
                if (free.isEmpty()) {
                    return;
                }
            }
        }
    }

    /** @param free mentors who are available, connected, hold no offer and have a free place */
    private Optional<Mentor> chooseMentor(Request request, long now, List<Mentor> free) {
        long passedFor = ledger.settings.offerTimeout().toMillis() * 4;
        List<Mentor> fitting = free.stream()
                .filter(m -> m.fits(request) && !m.user.id().equals(request.member.id()))
                .filter(m -> !ledger.safeguards.blocks().hidden(m.user.id(), request.member.id()))
                .filter(m -> !alreadyIn(request, m))
                .filter(m -> now - request.passedBy.getOrDefault(m.user.id(), Long.MIN_VALUE / 2) >= passedFor)
                .toList();
        if (request.preferredMentorId != null) {
            Optional<Mentor> preferred = fitting.stream()
                    .filter(m -> m.user.id().equals(request.preferredMentorId))
                    .findFirst();
            if (preferred.isPresent()) {
                return preferred;
            }
            // The named mentor cannot take it now (busy, away, passed): the next fitting mentor will.
            request.preferredMentorId = null;
        }
        // A request whose note read like a crisis goes to an experienced mentor when one can take it.
        return fitting.stream()
                .min(Comparator.comparing((Mentor m) -> !(request.urgent && m.experienced))
                        .thenComparingInt(m -> m.sessions.size())
                        .thenComparingLong(m -> m.lastAssignedAt)
                        .thenComparing(m -> !nearby.test(m.user.id())));
    }

    /** A mentor who already holds the session a continuation is for cannot take it again. */
    boolean alreadyIn(Request request, Mentor mentor) {
        return request.continuesSession() && mentor.sessions.contains(request.sessionId);
    }

    void offer(Request request, Mentor mentor, long now) {
        request.offeredTo = mentor.user.id();
        request.offerExpiresAt = now + ledger.settings.offerTimeout().toMillis();
        mentor.offeredRequest = request.id;
        ledger.notifier.notify(
                mentor.user.id(),
                new ServerMessage.SupportOffer(
                        request.id,
                        request.condition,
                        request.language,
                        request.member,
                        request.note,
                        request.sessionId,
                        request.offerExpiresAt,
                        request.urgent));
    }

    void passOn(Request request, Mentor mentor) {
        request.passedBy.put(mentor.user.id(), ledger.clock.millis());
        request.offeredTo = null;
        if (request.id.equals(mentor.offeredRequest)) {
            mentor.offeredRequest = null;
        }
    }

    void withdrawOffer(Mentor mentor, String reason) {
        if (mentor.offeredRequest != null) {
            Request request = ledger.requests.get(mentor.offeredRequest);
            ledger.notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(mentor.offeredRequest, reason));
            mentor.offeredRequest = null;
            if (request != null) {
                request.offeredTo = null;
            }
        }
    }

    /** Removes a request from the queue, withdrawing its offer. */
    void close(Request request, String reason) {
        ledger.requests.remove(request.id);
        if (request.offeredTo != null) {
            Mentor mentor = ledger.mentors.get(request.offeredTo);
            if (mentor != null && request.id.equals(mentor.offeredRequest)) {
                mentor.offeredRequest = null;
                if (!"taken".equals(reason) || !request.offeredTo.equals(ledger.matched.get(request.id))) {
                    ledger.notifier.notify(mentor.user.id(), new ServerMessage.OfferWithdrawn(request.id, reason));
                }
            }
        }
        if ("expired".equals(reason)) {
            ledger.notifier.notify(
                    request.member.id(), new ServerMessage.SupportCancelled(null, request.id, "expired"));
        }
    }

    SupportQueued status(Request request, String ref) {
        List<Request> queue = queue();
        return status(request, ref, new Competition().positions(queue)[queue.indexOf(request)], freeFitting(request));
    }

    /**
     * Which requests compete for the same mentors: a request's position counts only the requests ahead of it that a
     * mentor who could serve it could serve too (a French request waiting for the only French mentor is not behind
     * the English queue). With no mentor available for its condition and language, it competes with the requests of
     * the same condition and language. Mentors are those who said they are available for the need, connected or not,
     * free or not: they are who will serve it.
     */
    private final class Competition {
        private final Map<List<String>, java.util.Set<String>> mentorsByNeed = new HashMap<>();
        private final Map<List<List<String>>, Boolean> competing = new HashMap<>();

        /**
         * Every request's position in one pass: the requests ahead are counted by need as the walk goes, so a queue
         * costs its length times the needs in it, not its length squared (this runs on every change to the queue).
         */
        int[] positions(List<Request> queue) {
            Map<List<String>, Integer> aheadByNeed = new java.util.LinkedHashMap<>();
            int[] positions = new int[queue.size()];
            for (int i = 0; i < queue.size(); i++) {
                List<String> need = need(queue.get(i));
                int position = 1;
                for (Map.Entry<List<String>, Integer> ahead : aheadByNeed.entrySet()) {
                    if (compete(need, ahead.getKey())) {
                        position += ahead.getValue();
                    }
                }
                positions[i] = position;
                aheadByNeed.merge(need, 1, Integer::sum);
            }
            return positions;
        }

        private boolean compete(List<String> needA, List<String> needB) {
            if (needA.equals(needB)) {
                return true;
            }
            return competing.computeIfAbsent(List.of(needA, needB), pair -> {
                java.util.Set<String> mine = mentorsFor(needA);
                return mentorsFor(needB).stream().anyMatch(mine::contains);
            });
        }

        private java.util.Set<String> mentorsFor(List<String> need) {
            return mentorsByNeed.computeIfAbsent(need, n -> {
                java.util.Set<String> ids = new java.util.HashSet<>();
                for (Mentor m : ledger.mentors.values()) {
                    if (m.available && m.conditions.contains(n.get(0)) && m.languages.contains(n.get(1))) {
                        ids.add(m.user.id());
                    }
                }
                return ids;
            });
        }

        private static List<String> need(Request request) {
            return Arrays.asList(request.condition, request.language);
        }
    }

    private SupportQueued status(Request request, String ref, int position, int freeFitting) {
        return new SupportQueued(
                ref,
                request.id,
                request.condition,
                request.language,
                position,
                ledger.estimator.estimateSeconds(position, freeFitting),
                request.offeredTo != null);
    }

    /** Mentors who could take this request now, or once their current offer is answered. */
    private int freeFitting(Request request) {
        int free = 0;
        for (Mentor m : ledger.mentors.values()) {
            if (m.available && m.connected() && m.canTakeMore() && m.fits(request)) {
                free++;
            }
        }
        return free;
    }

    /**
     * Tells waiting members whose position, estimate or offer state changed. One sort of the queue and one count of
     * free mentors per condition and language serve every request: this runs after every change to the queue. In a
     * cluster each node tells only the members connected through it ({@code nearby}), and does so again whenever it
     * hears of another node's change: a member is told once, by its own node, not once by every node.
     */
    void updateWaiting() {
        List<Request> queue = queue();
        Map<List<String>, Integer> freeByNeed = new HashMap<>();
        int[] positions = new Competition().positions(queue);
        for (int i = 0; i < queue.size(); i++) {
            Request request = queue.get(i);
            if (!nearby.test(request.member.id())) {
                continue;
            }
            int free = freeByNeed.computeIfAbsent(
                    Arrays.asList(request.condition, request.language), need -> freeFitting(request));
            SupportQueued status = status(request, null, positions[i], free);
            if (status.position() != request.sentPosition
                    || status.estimatedWaitSeconds() != request.sentEstimate
                    || status.offered() != request.sentOffered) {
                remember(request, status);
                ledger.notifier.notify(request.member.id(), status);
            }
        }
    }

    static void remember(Request request, SupportQueued status) {
        request.sentPosition = status.position();
        request.sentEstimate = status.estimatedWaitSeconds();
        request.sentOffered = status.offered();
    }

    /** Carries what the member was told of a request over to a newer copy of it. */
    static void remember(Request request, Request told) {
        request.sentPosition = told.sentPosition;
        request.sentEstimate = told.sentEstimate;
        request.sentOffered = told.sentOffered;
    }

    void end(SupportSession session, UserInfo endedBy, String reason) {
        long now = ledger.clock.millis();
        session.endedAt = now;
        if (session.mentor != null) {
            Mentor mentor = ledger.mentors.get(session.mentor.id());
            if (mentor != null) {
                mentor.sessions.remove(session.id);
            }
        }
        ledger.requests.values().stream()
                .filter(r -> session.id.equals(r.sessionId))
                .toList()
                .forEach(r -> close(r, "cancelled"));
        ServerMessage.SessionEnded event = new ServerMessage.SessionEnded(session.id, endedBy, reason);
        ledger.notifier.notify(session.member.id(), event);
        if (session.mentor != null) {
            ledger.notifier.notify(session.mentor.id(), event);
        }
        ledger.metrics.sessionEnded(now - session.startedAt);
        ledger.records.ended(SupportSessions.recordOf(session));
    }

    Request continuation(SupportSession session) {
        Request request = new Request(
                SupportLedger.newId("r-"),
                session.member,
                session.condition,
                session.language,
                null,
                ledger.clock.millis(),
                session.id);
        ledger.requests.put(request.id, request);
        return request;
    }
}
