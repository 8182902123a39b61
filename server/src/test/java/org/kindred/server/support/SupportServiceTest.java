package org.kindred.server.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.SessionStarted;
import org.kindred.protocol.ServerMessage.SupportOffer;
import org.kindred.protocol.ServerMessage.SupportQueued;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.CrisisDetector;
import org.kindred.server.safety.CrisisLines;
import org.kindred.server.testing.FakeTime;

/** The support queue, matching and sessions, on a fake clock: time moves only when a test says so. */
class SupportServiceTest {

    private record Sent(String userId, ServerMessage event) {}

    private final FakeTime clock = new FakeTime();
    private final List<Sent> sent = new CopyOnWriteArrayList<>();
    private final List<String> erased = new CopyOnWriteArrayList<>();
    private final List<String> evicted = new CopyOnWriteArrayList<>();
    private final Blocks blocks = new Blocks();
    private final SupportService support = new SupportService(
            SupportConfig.defaults(),
            new SupportService.Safeguards(
                    note -> note.contains("end it all")
                            ? Optional.of(new CrisisDetector.CrisisHit("en", "end it all"))
                            : Optional.empty(),
                    blocks,
                    CrisisLines.defaults()),
            (userId, event) -> sent.add(new Sent(userId, event)),
            new SupportService.SessionRooms() {
                @Override
                public void erase(String sessionId) {
                    erased.add(sessionId);
                }

                @Override
                public void forget(String sessionId) {
                    erased.add("forgot " + sessionId);
                }

                @Override
                public void evict(String sessionId, String userId) {
                    evicted.add(userId);
                }
            },
            condition -> List.of(condition + "-room"),
            KindredMetrics.NOOP,
            clock);

    private static UserInfo member(String name) {
        return new UserInfo("u-" + name, name, "member");
    }

    private static UserInfo mentor(String name) {
        return new UserInfo("u-" + name, name, "mentor");
    }

    private UserInfo available(String name, List<String> conditions, List<String> languages, int capacity) {
        UserInfo mentor = mentor(name);
        support.connected(mentor);
        support.setAvailability(mentor, false, true, conditions, languages, capacity, null);
        return mentor;
    }

    private UserInfo experienced(String name, List<String> conditions, List<String> languages) {
        UserInfo mentor = mentor(name);
        support.connected(mentor);
        support.setAvailability(mentor, true, true, conditions, languages, 3, null);
        return mentor;
    }

    private <T extends ServerMessage> List<T> to(UserInfo user, Class<T> type) {
        return sent.stream()
                .filter(s -> s.userId.equals(user.id()))
                .map(Sent::event)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private <T extends ServerMessage> T last(UserInfo user, Class<T> type) {
        List<T> all = to(user, type);
        assertThat(all)
                .as("%s received by %s", type.getSimpleName(), user.pseudonym())
                .isNotEmpty();
        return all.getLast();
    }

    /** A service without safeguards, rooms or records, telling events to this notifier. */
    private SupportService plainService(SupportService.Notifier notifier, java.util.function.Predicate<String> nearby) {
        return new SupportService(
                SupportConfig.defaults(),
                new SupportService.Safeguards(note -> Optional.empty(), new Blocks(), CrisisLines.defaults()),
                notifier,
                new SupportService.SessionRooms() {
                    @Override
                    public void erase(String sessionId) {}

                    @Override
                    public void forget(String sessionId) {}

                    @Override
                    public void evict(String sessionId, String userId) {}
                },
                condition -> List.of(),
                KindredMetrics.NOOP,
                clock,
                SessionRecords.NONE,
                nearby);
    }

    @Test
    void aMentorGonePastTheGraceWithNothingLeftIsForgottenAndOneWithASessionIsNot() {
        UserInfo eve = available("Eve", List.of("diabetes"), List.of("en"), 3);
        UserInfo sam = available("Sam", List.of("diabetes"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.connected(ana);
        SupportQueued queued = support.request(ana, "diabetes", "en", null, "r1");
        UserInfo offered = to(eve, SupportOffer.class).isEmpty() ? sam : eve;
        UserInfo idle = offered == eve ? sam : eve;
        support.accept(offered, queued.requestId(), "a1");

        support.disconnected(idle.id());
        clock.advance(SupportConfig.defaults().mentorGrace().minusSeconds(1));
        support.tick();
        assertThat(support.entities()).containsKey("mentor:" + idle.id());

        clock.advance(Duration.ofSeconds(1));
        support.tick();
        assertThat(support.entities()).doesNotContainKey("mentor:" + idle.id()).containsKey("mentor:" + offered.id());

        // Back again: it sets its availability as after any disconnection, and is offered requests again.
        available(idle.pseudonym(), List.of("diabetes"), List.of("en"), 3);
        assertThat(support.entities()).containsKey("mentor:" + idle.id());
    }

    @Test
    void entitiesAppliedToAnotherServiceGiveTheSameEntities() {
        available("Eve", List.of("diabetes"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.connected(ana);
        support.request(ana, "diabetes", "en", "hello", "r1");
        SupportService other = plainService((userId, event) -> {}, userId -> true);

        other.apply(support.entities());

        assertThat(other.entities()).isEqualTo(support.entities());
    }

    @Test
    void offersARequestOnlyToAMentorWhoCoversItsConditionAndLanguage() throws Exception {
        UserInfo english = available("Eve", List.of("diabetes"), List.of("en"), 3);
        UserInfo french = available("Fabien", List.of("diabetes"), List.of("fr"), 3);
        UserInfo other = available("Ola", List.of("anxiety"), List.of("fr"), 3);
        UserInfo ana = member("Ana");
        support.connected(ana);

        SupportQueued queued = support.request(ana, "diabetes", "fr", "type 1, newly diagnosed", "r1");

        assertThat(to(french, SupportOffer.class))
                .extracting(SupportOffer::requestId)
                .containsExactly(queued.requestId());
        assertThat(to(english, SupportOffer.class)).isEmpty();
        assertThat(to(other, SupportOffer.class)).isEmpty();
        assertThat(last(french, SupportOffer.class).note()).isEqualTo("type 1, newly diagnosed");
        assertThat(queued.offered()).isTrue();
    }

    @Test
    void servesTheOldestRequestFirst() throws Exception {
        UserInfo first = member("First");
        UserInfo second = member("Second");
        support.request(first, "pain", "en", null, null);
        clock.advance(Duration.ofSeconds(5));
        SupportQueued secondQueued = support.request(second, "pain", "en", null, null);

        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 1);

        assertThat(last(mentor, SupportOffer.class).member()).isEqualTo(first);
        assertThat(secondQueued.position()).isEqualTo(2);
        assertThat(to(second, SupportQueued.class)).noneMatch(status -> status.position() != 2);
    }

    @Test
    void aRequestWhoseNoteReadsLikeACrisisIsServedBeforeOlderOnes() throws Exception {
        UserInfo calm = member("Calm");
        UserInfo urgent = member("Urgent");
        support.request(calm, "pain", "en", "my back hurts", null);
        clock.advance(Duration.ofMinutes(1));
        SupportQueued urgentQueued = support.request(urgent, "pain", "en", "i want to end it all", null);

        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 1);

        assertThat(urgentQueued.position()).isEqualTo(1);
        assertThat(last(mentor, SupportOffer.class).member()).isEqualTo(urgent);
    }

    @Test
    void aCrisisRequestGoesToAnExperiencedMentorFirstAndOthersToAnyone() throws Exception {
        UserInfo veteran = experienced("Veteran", List.of("pain"), List.of("en"));
        support.request(member("Earlier"), "pain", "en", null, null);
        support.accept(veteran, last(veteran, SupportOffer.class).requestId(), null); // the veteran is busier now
        UserInfo novice = available("Novice", List.of("pain"), List.of("en"), 3);

        support.request(member("Urgent"), "pain", "en", "i want to end it all", null);
        support.request(member("Calm"), "pain", "en", "just want to talk", null);

        assertThat(last(veteran, SupportOffer.class).member().pseudonym()).isEqualTo("Urgent");
        assertThat(last(novice, SupportOffer.class).member().pseudonym()).isEqualTo("Calm");
    }

    @Test
    void neverMatchesTwoUsersWhenOneBlockedTheOther() throws Exception {
        UserInfo blocked = available("Blocked", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        blocks.add(ana.id(), blocked.id());
        support.request(ana, "pain", "en", null, null);

        assertThat(to(blocked, SupportOffer.class)).isEmpty();
    }

    @Test
    void neverGivesAMentorMoreSessionsThanItsCapacity() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 1);
        support.request(member("A"), "pain", "en", null, null);
        support.accept(mentor, last(mentor, SupportOffer.class).requestId(), null);

        support.request(member("B"), "pain", "en", null, null);

        assertThat(to(mentor, SupportOffer.class)).hasSize(1);
    }

    @Test
    void spreadsLoadOverMentorsFewestSessionsFirst() throws Exception {
        UserInfo busy = available("Busy", List.of("pain"), List.of("en"), 3);
        support.request(member("A"), "pain", "en", null, null);
        support.accept(busy, last(busy, SupportOffer.class).requestId(), null);
        UserInfo idle = available("Idle", List.of("pain"), List.of("en"), 3);

        support.request(member("B"), "pain", "en", null, null);

        assertThat(to(idle, SupportOffer.class)).hasSize(1);
        assertThat(to(busy, SupportOffer.class)).hasSize(1);
    }

    @Test
    void anUnansweredOfferMovesOnToAnotherMentor() throws Exception {
        UserInfo slow = available("Slow", List.of("pain"), List.of("en"), 3);
        support.request(member("A"), "pain", "en", null, null);
        UserInfo quick = available("Quick", List.of("pain"), List.of("en"), 3);
        assertThat(to(quick, SupportOffer.class)).isEmpty();

        clock.advance(Duration.ofSeconds(31));
        support.tick();

        assertThat(last(slow, ServerMessage.OfferWithdrawn.class).reason()).isEqualTo("expired");
        assertThat(to(quick, SupportOffer.class)).hasSize(1);
    }

    @Test
    void aDeclinedOfferMovesOnAtOnce() throws Exception {
        UserInfo first = available("First", List.of("pain"), List.of("en"), 3);
        UserInfo second = available("Second", List.of("pain"), List.of("en"), 3);
        support.request(member("A"), "pain", "en", null, null);
        UserInfo offered = to(first, SupportOffer.class).isEmpty() ? second : first;
        UserInfo other = offered == first ? second : first;

        support.decline(offered, last(offered, SupportOffer.class).requestId(), null);

        assertThat(to(other, SupportOffer.class)).hasSize(1);
    }

    @Test
    void theFirstAcceptWinsAndALateOneIsToldItWasTaken() throws Exception {
        UserInfo first = available("First", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        String requestId = support.request(ana, "pain", "en", null, null).requestId();
        clock.advance(Duration.ofSeconds(31));
        support.tick(); // First let it expire: it may still change its mind
        UserInfo second = available("Second", List.of("pain"), List.of("en"), 3);

        SessionStarted started = support.accept(second, requestId, "a");

        assertThat(started.mentor()).isEqualTo(second);
        assertThat(last(ana, SessionStarted.class).sessionId()).isEqualTo(started.sessionId());
        assertThatThrownBy(() -> support.accept(first, requestId, "late"))
                .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.OFFER_TAKEN));
    }

    @Test
    void twoMentorsAcceptingAtTheSameInstantYieldExactlyOneSession() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 200; round++) {
                UserInfo a = available("A" + round, List.of("c" + round), List.of("en"), 3);
                String requestId = support.request(member("M" + round), "c" + round, "en", null, null)
                        .requestId();
                clock.advance(Duration.ofSeconds(31));
                support.tick();
                UserInfo b = available("B" + round, List.of("c" + round), List.of("en"), 3);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> outcomes = new ArrayList<>();
                for (UserInfo mentor : List.of(a, b)) {
                    outcomes.add(threads.submit(() -> {
                        go.await();
                        try {
                            support.accept(mentor, requestId, null);
                            return true;
                        } catch (Refusal e) {
                            assertThat(e.code()).isIn(ErrorCode.OFFER_TAKEN, ErrorCode.REQUEST_NOT_FOUND);
                            return false;
                        }
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Boolean> outcome : outcomes) {
                    winners += outcome.get() ? 1 : 0;
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
            }
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void cancellingWithdrawsTheOffer() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        String requestId = support.request(ana, "pain", "en", null, null).requestId();

        support.cancel(ana, requestId, "c");

        assertThat(last(mentor, ServerMessage.OfferWithdrawn.class).reason()).isEqualTo("cancelled");
        assertThatThrownBy(() -> support.accept(mentor, requestId, null)).isInstanceOf(Refusal.class);
    }

    @Test
    void aFrenchCanadianMemberWaitingForAMentorIsGivenCanadasLinesNotFrances() throws Exception {
        UserInfo lea = member("Léa");
        support.connected(lea);
        support.request(lea, "depression", "fr-CA", null, null);

        clock.advance(Duration.ofMinutes(2));
        support.tick();

        assertThat(last(lea, ServerMessage.SupportUnavailable.class).resources())
                .extracting(r -> r.contact())
                .contains("appel ou texto au 988")
                .doesNotContain("3114");
    }

    @Test
    void aMemberHasOneOpenRequestAtATime() throws Exception {
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);

        assertThatThrownBy(() -> support.request(ana, "pain", "en", null, null))
                .isInstanceOfSatisfying(
                        Refusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_REQUESTED));
    }

    @Test
    void whenNobodyIsFreeTheMemberGetsRoomsAndResourcesAndKeepsItsPlace() throws Exception {
        UserInfo ana = member("Ana");
        support.connected(ana);
        String requestId = support.request(ana, "depression", "fr", null, null).requestId();

        clock.advance(Duration.ofMinutes(2));
        support.tick();

        ServerMessage.SupportUnavailable unavailable = last(ana, ServerMessage.SupportUnavailable.class);
        assertThat(unavailable.requestId()).isEqualTo(requestId);
        assertThat(unavailable.position()).isEqualTo(1);
        assertThat(unavailable.rooms()).containsExactly("depression-room");
        assertThat(unavailable.resources()).extracting(r -> r.contact()).contains("3114");

        UserInfo mentor = available("Mo", List.of("depression"), List.of("fr"), 3);
        assertThat(last(mentor, SupportOffer.class).requestId()).isEqualTo(requestId);
    }

    @Test
    void tellsWaitingMembersTheirPositionAndAnEstimate() throws Exception {
        UserInfo first = member("First");
        UserInfo second = member("Second");
        SupportQueued firstQueued = support.request(first, "pain", "en", null, null);
        SupportQueued secondQueued = support.request(second, "pain", "en", null, null);
        assertThat(secondQueued.position()).isEqualTo(2);
        assertThat(secondQueued.estimatedWaitSeconds()).isPositive();

        support.cancel(first, firstQueued.requestId(), null);

        assertThat(last(second, SupportQueued.class).position()).isEqualTo(1);
    }

    @Test
    void everyMemberOfALongQueueHearsItsOwnPositionAndAnEstimateForItsOwnNeed() throws Exception {
        available("Pia", List.of("pain"), List.of("en"), 1);
        available("Pat", List.of("pain"), List.of("en"), 1);
        List<UserInfo> members = new ArrayList<>();
        List<SupportQueued> requests = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            UserInfo member = member("M" + i);
            support.connected(member);
            // Even members need pain/en (two mentors), odd ones diabetes/fr (none).
            requests.add(
                    i % 2 == 0
                            ? support.request(member, "pain", "en", null, null)
                            : support.request(member, "diabetes", "fr", null, null));
            members.add(member);
            clock.advance(Duration.ofSeconds(1));
        }
        long perPlace = latest(members.get(1), requests.get(1)).estimatedWaitSeconds();
        assertThat(perPlace).isPositive();
        for (int i = 0; i < 40; i++) {
            SupportQueued status = latest(members.get(i), requests.get(i));
            // Only requests that compete for the same mentors count: pain/en behind pain/en, diabetes/fr behind
            // diabetes/fr.
            int position = i % 2 == 0 ? i / 2 + 1 : (i + 1) / 2;
            assertThat(status.position()).as("position of M%d", i).isEqualTo(position);
            long places = i % 2 == 0 ? (position + 1) / 2 : position;
            assertThat(status.estimatedWaitSeconds()).as("estimate of M%d", i).isEqualTo(perPlace * places);
        }

        support.cancel(members.get(0), requests.get(0).requestId(), null);

        for (int i = 1; i < 40; i++) {
            assertThat(latest(members.get(i), requests.get(i)).position())
                    .as("position of M%d", i)
                    .isEqualTo(i % 2 == 0 ? i / 2 : (i + 1) / 2);
        }
    }

    @Test
    void aMemberBackAfterTheGraceIsToldItsRequestIsGoneAndMayAskAgain() throws Exception {
        UserInfo ana = member("Ana");
        support.connected(ana);
        SupportQueued queued = support.request(ana, "pain", "en", null, null);
        support.disconnected(ana.id());
        clock.advance(SupportConfig.defaults().mentorGrace());
        support.tick();
        sent.clear(); // what was sent while it was away never reached it

        support.connected(ana);

        assertThat(to(ana, ServerMessage.SupportCancelled.class))
                .singleElement()
                .satisfies(cancelled -> {
                    assertThat(cancelled.requestId()).isEqualTo(queued.requestId());
                    assertThat(cancelled.reason()).isEqualTo("expired");
                });
        support.disconnected(ana.id());
        support.connected(ana);
        assertThat(to(ana, ServerMessage.SupportCancelled.class))
                .as("told once")
                .hasSize(1);
        assertThat(support.request(ana, "pain", "en", null, null).position()).isEqualTo(1);
    }

    @Test
    void aFrenchRequestWaitingForTheOnlyFrenchMentorIsNotBehindTheEnglishQueue() throws Exception {
        available("Pia", List.of("diabetes"), List.of("en"), 1);
        available("Lou", List.of("diabetes"), List.of("fr"), 1);
        for (int i = 0; i < 5; i++) {
            support.request(member("E" + i), "diabetes", "en", null, null);
            clock.advance(Duration.ofSeconds(1));
        }

        SupportQueued french = support.request(member("Léa"), "diabetes", "fr", null, null);

        assertThat(french.position()).isEqualTo(1);
    }

    @Test
    void requestsThatShareAMentorCompeteEvenForDifferentNeeds() throws Exception {
        available("Bi", List.of("diabetes"), List.of("en", "fr"), 1);
        support.request(member("E0"), "diabetes", "en", null, null);
        clock.advance(Duration.ofSeconds(1));
        support.request(member("E1"), "diabetes", "en", null, null);
        clock.advance(Duration.ofSeconds(1));

        SupportQueued french = support.request(member("Léa"), "diabetes", "fr", null, null);

        assertThat(french.position()).isEqualTo(3);
    }

    /** What a member was told last: the reply to its request, or a later update. */
    private SupportQueued latest(UserInfo member, SupportQueued reply) {
        List<SupportQueued> updates = to(member, SupportQueued.class);
        return updates.isEmpty() ? reply : updates.getLast();
    }

    @Test
    void aMentorWhoDropsForLongerThanTheGraceSendsTheMemberBackToTheFront() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();
        UserInfo ben = member("Ben");
        support.request(ben, "pain", "en", null, null);

        support.disconnected(mentor.id());
        clock.advance(Duration.ofSeconds(61));
        support.tick();

        ServerMessage.SessionInterrupted interrupted = last(ana, ServerMessage.SessionInterrupted.class);
        assertThat(interrupted.sessionId()).isEqualTo(sessionId);
        assertThat(support.canAccess(mentor.id(), sessionId)).isFalse();
        assertThat(evicted).contains(mentor.id());

        UserInfo next = available("Next", List.of("pain"), List.of("en"), 3);
        SupportOffer offer = last(next, SupportOffer.class);
        assertThat(offer.sessionId()).isEqualTo(sessionId);
        SessionStarted continued = support.accept(next, offer.requestId(), null);
        assertThat(continued.continued()).isTrue();
        assertThat(continued.sessionId()).isEqualTo(sessionId);
        assertThat(support.canAccess(ana.id(), sessionId)).isTrue();
        assertThat(support.canAccess(next.id(), sessionId)).isTrue();

        // The member's phone reconnects: the session is announced again, still as continued, with the new mentor.
        support.disconnected(ana.id());
        support.connected(ana);
        SessionStarted replayed = last(ana, SessionStarted.class);
        assertThat(replayed.mentor().id()).isEqualTo(next.id());
        assertThat(replayed.continued()).isTrue();
    }

    @Test
    void aMentorBackWithinTheGraceKeepsItsSessions() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();

        support.disconnected(mentor.id());
        clock.advance(Duration.ofSeconds(30));
        support.connected(mentor);
        clock.advance(Duration.ofSeconds(60));
        support.tick();

        assertThat(to(ana, ServerMessage.SessionInterrupted.class)).isEmpty();
        assertThat(support.canAccess(mentor.id(), sessionId)).isTrue();
    }

    @Test
    void aHandoffWithConsentMovesTheSessionToTheNamedMentorWithoutLosingIt() throws Exception {
        UserInfo first = available("First", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(first, last(first, SupportOffer.class).requestId(), null)
                .sessionId();
        UserInfo senior = available("Senior", List.of("pain"), List.of("en"), 3);

        support.proposeHandoff(first, sessionId, senior.id(), "a colleague knows this well", null);
        assertThat(last(ana, ServerMessage.HandoffProposed.class).to()).isEqualTo(senior);
        support.answerHandoff(ana, sessionId, true, null);
        SupportOffer offer = last(senior, SupportOffer.class);
        assertThat(support.canAccess(first.id(), sessionId))
                .as("until the next mentor takes it")
                .isTrue();
        support.accept(senior, offer.requestId(), null);

        assertThat(last(ana, SessionStarted.class).mentor()).isEqualTo(senior);
        assertThat(last(first, ServerMessage.SessionEnded.class).reason()).isEqualTo("handed_off");
        assertThat(support.canAccess(first.id(), sessionId)).isFalse();
        assertThat(support.canAccess(senior.id(), sessionId)).isTrue();
    }

    @Test
    void aRefusedHandoffChangesNothing() throws Exception {
        UserInfo first = available("First", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(first, last(first, SupportOffer.class).requestId(), null)
                .sessionId();

        support.proposeHandoff(first, sessionId, null, null, null);
        support.answerHandoff(ana, sessionId, false, null);

        assertThat(last(first, ServerMessage.Done.class).command()).isEqualTo("handoff_refused");
        assertThat(support.canAccess(first.id(), sessionId)).isTrue();
    }

    @Test
    void storesTheRatingAndTheMentorsNoteWithTheSession() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();

        assertThatThrownBy(() -> support.rate(ana, sessionId, 5, "early", null)).isInstanceOf(Refusal.class);
        support.end(ana, sessionId, null);
        support.rate(ana, sessionId, 5, "I felt heard", null);
        support.note(mentor, sessionId, "member mentioned self-harm", null);

        SupportService.SessionRecord record = support.record(sessionId).orElseThrow();
        assertThat(record.rating()).isEqualTo(5);
        assertThat(record.comment()).isEqualTo("I felt heard");
        assertThat(record.mentorNotes()).containsExactly("member mentioned self-harm");
        assertThat(last(mentor, ServerMessage.SessionEnded.class).endedBy()).isEqualTo(ana);
    }

    @Test
    void aMentorCannotRateAndAStrangerCannotTouchTheSession() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();
        UserInfo stranger = member("Stranger");

        assertThat(support.canAccess(stranger.id(), sessionId)).isFalse();
        assertThatThrownBy(() -> support.end(stranger, sessionId, null)).isInstanceOf(Refusal.class);
        assertThatThrownBy(() -> support.deleteTranscript(stranger, sessionId, null))
                .isInstanceOf(Refusal.class);
        support.end(mentor, sessionId, null);
        assertThatThrownBy(() -> support.rate(mentor, sessionId, 1, null, null)).isInstanceOf(Refusal.class);
    }

    @Test
    void aParticipantCanDeleteTheTranscriptAndItIsForgottenAfterRetention() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();

        support.deleteTranscript(ana, sessionId, null);
        assertThat(erased).containsExactly(sessionId);

        support.end(mentor, sessionId, null);
        clock.advance(Duration.ofHours(25));
        support.tick();
        assertThat(erased).contains("forgot " + sessionId);
        assertThat(support.record(sessionId)).isEmpty();
    }

    @Test
    void aSessionWithoutMessagesEndsAfterTheIdleTimeout() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();

        clock.advance(Duration.ofMinutes(9));
        support.touched(sessionId);
        clock.advance(Duration.ofMinutes(9));
        support.tick();
        assertThat(to(ana, ServerMessage.SessionEnded.class)).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        support.tick();
        assertThat(last(ana, ServerMessage.SessionEnded.class).reason()).isEqualTo("expired");
    }

    @Test
    void aMentorsAvailabilityEndsWithItsLastConnection() throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        support.disconnected(mentor.id());

        support.request(member("Ana"), "pain", "en", null, null);

        assertThat(to(mentor, SupportOffer.class)).isEmpty();
    }

    @Test
    void aTouchWithinTheWriteIntervalIsKeptForLaterAndTheSessionStillEndsNoEarlierThanTheIdleTimeout()
            throws Exception {
        UserInfo mentor = available("Mo", List.of("pain"), List.of("en"), 3);
        UserInfo ana = member("Ana");
        support.request(ana, "pain", "en", null, null);
        String sessionId = support.accept(
                        mentor, last(mentor, SupportOffer.class).requestId(), null)
                .sessionId();
        long every = Duration.ofMinutes(1).toMillis();

        clock.advance(Duration.ofSeconds(30));
        assertThat(support.touched(sessionId, every))
                .as("a message half a minute after the last write: kept for later")
                .isFalse();
        clock.advance(Duration.ofSeconds(30));
        assertThat(support.touched(sessionId, every)).isTrue();

        clock.advance(SupportConfig.defaults().idleTimeout().minusSeconds(1));
        support.tick();
        assertThat(to(ana, ServerMessage.SessionEnded.class)).isEmpty();
        clock.advance(Duration.ofSeconds(1));
        support.tick();
        assertThat(last(ana, ServerMessage.SessionEnded.class).reason()).isEqualTo("expired");
        assertThat(support.touched(sessionId, every))
                .as("an ended session keeps no touch")
                .isTrue();
    }

    @Test
    void amongMentorsRankedEqualTheOnesConnectedThroughThisNodeAreOfferedFirst() throws Exception {
        SupportService nearEve =
                plainService((userId, event) -> sent.add(new Sent(userId, event)), userId -> userId.equals("u-Eve"));
        for (String name : List.of("Ada", "Bo", "Eve", "Zed")) {
            nearEve.connected(mentor(name));
            nearEve.setAvailability(mentor(name), false, true, List.of("pain"), List.of("en"), 1, null);
        }
        UserInfo ana = member("Ana");
        nearEve.connected(ana);

        nearEve.request(ana, "pain", "en", null, null);

        assertThat(to(mentor("Eve"), SupportOffer.class)).hasSize(1);
    }

    @Test
    void aNodeTellsOnlyTheWaitingMembersConnectedThroughItWhereTheyStand() throws Exception {
        SupportService nearBo =
                plainService((userId, event) -> sent.add(new Sent(userId, event)), userId -> userId.equals("u-Bo"));
        UserInfo ana = member("Ana");
        UserInfo bo = member("Bo");
        UserInfo cy = member("Cy");
        String anas = nearBo.request(ana, "pain", "en", null, "q").requestId();
        nearBo.request(bo, "pain", "en", null, "q");
        nearBo.request(cy, "pain", "en", null, "q");
        sent.clear();

        nearBo.cancel(ana, anas, "c");

        assertThat(to(bo, ServerMessage.SupportQueued.class))
                .extracting(ServerMessage.SupportQueued::position)
                .containsExactly(1);
        assertThat(to(cy, ServerMessage.SupportQueued.class))
                .as("Cy's own node tells Cy")
                .isEmpty();
    }
}
