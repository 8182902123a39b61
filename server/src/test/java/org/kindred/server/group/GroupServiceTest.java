package org.kindred.server.group;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.GroupState;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.GroupConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.testing.FakeTime;

/** Group sessions as plain Java, on a fake clock that starts at 2026-11-30T12:00Z. */
class GroupServiceTest {

    private static final Actor DANA = new Actor(new UserInfo("u-dana", "Dana", "facilitator"), true, false);
    private static final Actor JO = new Actor(new UserInfo("u-jo", "Jo", "moderator"), false, true);
    private static final Actor ROBIN = member("Robin");
    private static final Actor CASEY = member("Casey");
    private static final Actor ALEX = member("Alex");

    private final FakeTime time = new FakeTime();
    private final List<Sent> sent = new ArrayList<>();
    private final List<String> evicted = new ArrayList<>();
    private final List<ServerMessage.AuditEntry> audited = new ArrayList<>();
    private final LocalMeetingArchive archive = new LocalMeetingArchive();
    private final GroupService groups = new GroupService(
            GroupConfig.defaults(),
            (users, event) -> users.forEach(user -> sent.add(new Sent(user, event))),
            (room, user) -> evicted.add(room + " " + user),
            audited::add,
            archive,
            time);

    private record Sent(String user, ServerMessage event) {}

    private static Actor member(String name) {
        return new Actor(new UserInfo("u-" + name.toLowerCase(), name, "member"), false, false);
    }

    /** A one-hour group starting at 13:00 (lobby from 12:45), capacity 2. */
    private ServerMessage.GroupInfo schedule(boolean registration, boolean floorOnly) {
        return groups.scheduling()
                .create(
                        DANA,
                        new ClientMessage.CreateGroup(
                                "c",
                                "Evening circle",
                                "long-covid",
                                "2026-11-30T13:00:00Z",
                                60,
                                2,
                                null,
                                null,
                                registration,
                                "Be kind.",
                                floorOnly,
                                null))
                .group();
    }

    /** Schedules a group and opens its meeting with the facilitator and the given members in the room. */
    private ServerMessage.GroupInfo running(Actor... members) {
        ServerMessage.GroupInfo g = schedule(false, true);
        time.advance(Duration.ofMinutes(50));
        groups.access().enter(DANA, g.room(), "n/dana");
        for (Actor member : members) {
            groups.access().enter(member, g.room(), "n/" + member.id());
        }
        groups.controls().open(DANA, g.groupId(), "o");
        return g;
    }

    private <T extends ServerMessage> List<T> sentTo(String user, Class<T> type) {
        return sent.stream()
                .filter(s -> s.user().equals(user))
                .map(Sent::event)
                .filter(type::isInstance)
                .map(type::cast)
                .toList();
    }

    private GroupState lastState(String user) {
        List<GroupState> states = sentTo(user, GroupState.class);
        return states.get(states.size() - 1);
    }

    private static ErrorCode refusal(ThrowingCall call) {
        try {
            call.run();
        } catch (Refusal e) {
            return e.code();
        }
        return null;
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run();
    }

    @Test
    void aSingleMeetingGroupIsForgottenThirtyDaysAfterItsMeetingAndAWeeklyOneIsNot() {
        ServerMessage.GroupInfo once = schedule(false, false);
        String weekly = groups.scheduling()
                .create(
                        DANA,
                        new ClientMessage.CreateGroup(
                                "w",
                                "Weekly circle",
                                "long-covid",
                                "2026-11-30T13:00:00Z",
                                60,
                                2,
                                "weekly",
                                null,
                                false,
                                null,
                                false,
                                null))
                .group()
                .groupId();
        time.advance(Duration.ofHours(3)); // both meetings over and closed
        groups.tick();
        assertThat(groups.entities()).containsKey("group:" + once.groupId());

        time.advance(Duration.ofDays(30));
        assertThat(groups.dueGroups()).contains(once.groupId());
        groups.tick(once.groupId());

        assertThat(groups.entities()).doesNotContainKey("group:" + once.groupId());
        assertThat(groups.entities()).containsKey("group:" + weekly);
    }

    @Test
    void groupsAppliedToAnotherServiceGiveTheSameEntities() {
        running(ROBIN);
        GroupService other = new GroupService(
                GroupConfig.defaults(), (users, event) -> {}, (room, user) -> {}, entry -> {}, archive, time);

        other.apply(groups.entities());

        assertThat(other.entities()).isEqualTo(groups.entities());
    }

    @Test
    void onlyFacilitatorsAndModeratorsScheduleGroups() {
        assertThatThrownBy(() -> groups.scheduling()
                        .create(
                                ROBIN,
                                new ClientMessage.CreateGroup(
                                        "c",
                                        "Mine",
                                        "x",
                                        "2026-12-01T13:00:00Z",
                                        60,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null)))
                .isInstanceOfSatisfying(Refusal.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN));
        ServerMessage.GroupInfo byModerator = groups.scheduling()
                .create(
                        JO,
                        new ClientMessage.CreateGroup(
                                "c",
                                "Open circle",
                                "x",
                                "2026-12-01T13:00:00Z",
                                60,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null))
                .group();
        assertThat(byModerator.capacity()).isEqualTo(GroupConfig.defaults().defaultCapacity());
        assertThat(byModerator.phase()).isEqualTo("scheduled");
        assertThat(byModerator.room()).isEqualTo(byModerator.groupId() + "-20261201t1300z");
        assertThat(byModerator.lobbyOpensAt()).isEqualTo("2026-12-01T12:45:00Z");
    }

    @Test
    void aStartInThePastIsRefused() {
        assertThat(refusal(() -> groups.scheduling()
                        .create(
                                DANA,
                                new ClientMessage.CreateGroup(
                                        "c",
                                        "Late",
                                        "x",
                                        "2026-11-30T11:59:00Z",
                                        60,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))))
                .isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void editingAndCancellingTakeTheGroupsFacilitatorAndTellRegisteredMembers() {
        ServerMessage.GroupInfo g = schedule(false, false);
        groups.scheduling().register(ROBIN.user(), g.groupId(), "r");
        assertThat(refusal(() -> groups.scheduling()
                        .update(
                                CASEY,
                                new ClientMessage.UpdateGroup(
                                        "u",
                                        g.groupId(),
                                        "Hijack",
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null))))
                .isEqualTo(ErrorCode.FORBIDDEN);
        Actor otherFacilitator = new Actor(new UserInfo("u-sam", "Sam", "facilitator"), true, false);
        assertThat(refusal(() -> groups.scheduling()
                        .cancel(otherFacilitator, new ClientMessage.CancelGroup("x", g.groupId(), null, "no"))))
                .isEqualTo(ErrorCode.FORBIDDEN);

        ServerMessage.GroupInfo moved = groups.scheduling()
                .update(
                        DANA,
                        new ClientMessage.UpdateGroup(
                                "u",
                                g.groupId(),
                                null,
                                null,
                                "2026-11-30T18:00:00Z",
                                90,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null))
                .group();
        assertThat(moved.startsAt()).isEqualTo("2026-11-30T18:00:00Z");
        assertThat(moved.endsAt()).isEqualTo("2026-11-30T19:30:00Z");
        assertThat(sentTo(ROBIN.id(), ServerMessage.GroupChanged.class))
                .singleElement()
                .satisfies(c -> assertThat(c.change()).isEqualTo("updated"));

        ServerMessage.GroupInfo cancelled = groups.scheduling()
                .cancel(JO, new ClientMessage.CancelGroup("x", g.groupId(), null, "Facilitator unwell"))
                .group();
        assertThat(cancelled.phase()).isEqualTo("cancelled");
        assertThat(sentTo(ROBIN.id(), ServerMessage.GroupChanged.class))
                .last()
                .satisfies(c -> assertThat(c.reason()).isEqualTo("Facilitator unwell"));
        assertThat(groups.scheduling().list(ROBIN.id(), null, "l").groups()).isEmpty();
    }

    @Test
    void registrationIsCappedByCapacityWhenTheGroupAsksForIt() {
        ServerMessage.GroupInfo g = schedule(true, false);
        groups.scheduling().register(ROBIN.user(), g.groupId(), "r");
        groups.scheduling().register(ROBIN.user(), g.groupId(), "r again");
        groups.scheduling().register(CASEY.user(), g.groupId(), "r");
        assertThat(refusal(() -> groups.scheduling().register(ALEX.user(), g.groupId(), "r")))
                .isEqualTo(ErrorCode.GROUP_FULL);
        groups.scheduling().unregister(CASEY.user(), g.groupId(), "u");
        ServerMessage.GroupInfo seen =
                groups.scheduling().register(ALEX.user(), g.groupId(), "r").group();
        assertThat(seen.registered()).isEqualTo(2);
        assertThat(seen.youAreRegistered()).isTrue();
        assertThat(groups.scheduling().list(CASEY.id(), "long-covid", "l").groups())
                .singleElement()
                .satisfies(info -> assertThat(info.youAreRegistered()).isFalse());
        assertThat(groups.scheduling().list(CASEY.id(), "diabetes", "l").groups())
                .isEmpty();
    }

    @Test
    void entryNeedsTheLobbyOpenARegistrationAndAFreePlace() {
        ServerMessage.GroupInfo g = schedule(true, false);
        groups.scheduling().register(ROBIN.user(), g.groupId(), "r");
        groups.scheduling().register(CASEY.user(), g.groupId(), "r");
        assertThat(refusal(() -> groups.access().enter(ROBIN, g.room(), "n/1"))).isEqualTo(ErrorCode.GROUP_NOT_OPEN);

        time.advance(Duration.ofMinutes(46)); // 12:46, the lobby opened at 12:45
        assertThat(refusal(() -> groups.access().enter(ALEX, g.room(), "n/3")))
                .isEqualTo(ErrorCode.REGISTRATION_REQUIRED);
        GroupState lobby = groups.access().enter(ROBIN, g.room(), "n/1");
        assertThat(lobby.phase()).isEqualTo("lobby");
        assertThat(lobby.pinned().rules()).isEqualTo("Be kind.");
        groups.access().enter(CASEY, g.room(), "n/2");
        groups.access().enter(DANA, g.room(), "n/4"); // facilitators are not counted
        assertThat(groups.access().enter(DANA, g.room(), "n/4").participants()).isEqualTo(2);

        groups.scheduling()
                .update(
                        DANA,
                        new ClientMessage.UpdateGroup(
                                "u", g.groupId(), null, null, null, null, null, null, null, false, null, null, null));
        assertThat(refusal(() -> groups.access().enter(ALEX, g.room(), "n/3"))).isEqualTo(ErrorCode.GROUP_FULL);
        groups.access().left(CASEY.id(), g.room(), "n/2");
        groups.access().enter(ALEX, g.room(), "n/3");
    }

    @Test
    void membersInTheLobbyCannotPostUntilTheFacilitatorOpens() {
        ServerMessage.GroupInfo g = schedule(false, false);
        time.advance(Duration.ofMinutes(50));
        groups.access().enter(ROBIN, g.room(), "n/1");
        groups.access().enter(DANA, g.room(), "n/2");
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.GROUP_NOT_OPEN);
        assertThat(refusal(() -> groups.controls().raiseHand(ROBIN, g.groupId(), true, "h")))
                .isEqualTo(ErrorCode.GROUP_NOT_OPEN);
        assertThat(groups.access().checkPost(g.room(), DANA)).isZero(); // the facilitator greets people in the lobby

        assertThat(refusal(() -> groups.controls().open(ROBIN, g.groupId(), "o")))
                .isEqualTo(ErrorCode.FORBIDDEN);
        groups.controls().open(DANA, g.groupId(), "o");
        assertThat(lastState(ROBIN.id()).phase()).isEqualTo("open");
        assertThat(groups.access().checkPost(g.room(), ROBIN)).isZero();

        groups.controls().close(DANA, g.groupId(), "c");
        assertThat(lastState(ROBIN.id()).phase()).isEqualTo("closed");
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.GROUP_CLOSED);
        assertThat(refusal(() -> groups.access().enter(CASEY, g.room(), "n/3"))).isEqualTo(ErrorCode.GROUP_CLOSED);
    }

    @Test
    void muteLockSlowModeAndListenOnlyEachStopAMembersPosts() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);

        groups.controls().mute(DANA, g.groupId(), ROBIN.id(), true, "m");
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.MUTED);
        assertThat(groups.access().checkPost(g.room(), CASEY)).isZero();
        assertThat(lastState(CASEY.id()).muted()).containsExactly(ROBIN.id());
        groups.controls().mute(DANA, g.groupId(), ROBIN.id(), false, "m");
        assertThat(groups.access().checkPost(g.room(), ROBIN)).isZero();
        assertThat(refusal(() -> groups.controls().mute(DANA, g.groupId(), DANA.id(), true, "m")))
                .isEqualTo(ErrorCode.INVALID_FIELD);

        groups.controls().setChat(DANA, new ClientMessage.SetGroupChat("s", g.groupId(), true, null, null));
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.CHAT_LOCKED);
        assertThat(groups.access().checkPost(g.room(), DANA)).isZero();
        groups.controls().setChat(DANA, new ClientMessage.SetGroupChat("s", g.groupId(), false, 30, null));
        assertThat(groups.access().checkPost(g.room(), ROBIN)).isEqualTo(30);
        assertThat(groups.access().checkPost(g.room(), DANA))
                .as("facilitators are exempt")
                .isZero();

        groups.controls().listenOnly(CASEY, g.groupId(), true, "l");
        assertThat(refusal(() -> groups.access().checkPost(g.room(), CASEY))).isEqualTo(ErrorCode.LISTEN_ONLY);
        assertThat(refusal(() -> groups.controls().raiseHand(CASEY, g.groupId(), true, "h")))
                .isEqualTo(ErrorCode.LISTEN_ONLY);
        assertThat(lastState(DANA.id()).listenOnly()).containsExactly(CASEY.id());
    }

    @Test
    void removingAParticipantEvictsItAndABanKeepsItOut() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);
        groups.controls()
                .remove(DANA, new ClientMessage.RemoveParticipant("r", g.groupId(), ROBIN.id(), false, "Take a break"));
        assertThat(evicted).containsExactly(g.room() + " " + ROBIN.id());
        assertThat(sentTo(ROBIN.id(), ServerMessage.RemovedFromGroup.class))
                .singleElement()
                .satisfies(r -> assertThat(r.banned()).isFalse());
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.NOT_IN_ROOM);
        groups.access().enter(ROBIN, g.room(), "n/again");

        groups.controls()
                .remove(
                        DANA,
                        new ClientMessage.RemoveParticipant("r", g.groupId(), ROBIN.id(), true, "Repeated abuse"));
        assertThat(refusal(() -> groups.access().enter(ROBIN, g.room(), "n/again")))
                .isEqualTo(ErrorCode.REMOVED_FROM_GROUP);
        assertThat(refusal(() -> groups.scheduling().register(ROBIN.user(), g.groupId(), "r")))
                .isEqualTo(ErrorCode.REMOVED_FROM_GROUP);
        assertThat(refusal(() -> groups.controls().liftBan(DANA, g.groupId(), CASEY.id(), "l")))
                .isEqualTo(ErrorCode.INVALID_FIELD);
        assertThat(refusal(() -> groups.controls().liftBan(ROBIN, g.groupId(), ROBIN.id(), "l")))
                .isEqualTo(ErrorCode.FORBIDDEN);
        groups.controls().liftBan(DANA, g.groupId(), ROBIN.id(), "l");
        groups.access().enter(ROBIN, g.room(), "n/back");
        assertThat(audited)
                .extracting(ServerMessage.AuditEntry::action)
                .containsExactly("participant_removed", "participant_banned", "participant_unbanned");
        assertThat(audited.get(1)).satisfies(entry -> {
            assertThat(entry.actor()).isEqualTo(DANA.user());
            assertThat(entry.target()).isEqualTo(ROBIN.user());
            assertThat(entry.room()).isEqualTo(g.room());
            assertThat(entry.reason()).isEqualTo("Repeated abuse");
        });
    }

    @Test
    void raisedHandsQueueInOrderAndTheFloorHolderAloneMayPost() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);
        groups.controls().raiseHand(CASEY, g.groupId(), true, "h");
        groups.controls().raiseHand(ROBIN, g.groupId(), true, "h");
        groups.controls().raiseHand(CASEY, g.groupId(), true, "h again");
        assertThat(lastState(DANA.id()).hands()).extracting(UserInfo::id).containsExactly(CASEY.id(), ROBIN.id());

        groups.controls().giveFloor(DANA, g.groupId(), null, "next");
        GroupState state = lastState(DANA.id());
        assertThat(state.floor().user().id()).isEqualTo(CASEY.id());
        assertThat(state.floor().until()).isEqualTo("2026-11-30T12:53:00Z");
        assertThat(state.hands()).extracting(UserInfo::id).containsExactly(ROBIN.id());
        assertThat(groups.access().checkPost(g.room(), CASEY)).isZero();
        assertThat(refusal(() -> groups.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.NOT_YOUR_TURN);
        assertThat(groups.access().checkPost(g.room(), DANA)).isZero();

        groups.controls().giveFloor(DANA, g.groupId(), null, "next");
        assertThat(lastState(DANA.id()).floor().user().id()).isEqualTo(ROBIN.id());
        assertThat(refusal(() -> groups.access().checkPost(g.room(), CASEY))).isEqualTo(ErrorCode.NOT_YOUR_TURN);
        assertThat(refusal(() -> groups.controls().giveFloor(DANA, g.groupId(), null, "next")))
                .isEqualTo(ErrorCode.INVALID_FIELD);

        groups.controls().takeFloor(DANA, g.groupId(), "t");
        assertThat(lastState(DANA.id()).floor()).isNull();
        assertThat(groups.access().checkPost(g.room(), CASEY)).isZero();
    }

    @Test
    void theFloorReturnsByItselfAfterTheFloorTime() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);
        groups.controls().giveFloor(DANA, g.groupId(), ROBIN.id(), "f");
        assertThat(groups.due()).isFalse();
        time.advance(GroupConfig.defaults().floorTime());
        assertThat(groups.due()).isTrue();
        groups.tick();
        assertThat(lastState(CASEY.id()).floor()).isNull();
        assertThat(groups.access().checkPost(g.room(), CASEY)).isZero();
    }

    @Test
    void withoutFloorOnlyEveryoneMayPostWhileAMemberHoldsTheFloor() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);
        groups.controls().setChat(DANA, new ClientMessage.SetGroupChat("s", g.groupId(), null, null, false));
        groups.controls().giveFloor(DANA, g.groupId(), ROBIN.id(), "f");
        assertThat(groups.access().checkPost(g.room(), CASEY)).isZero();
    }

    @Test
    void attendanceSaysWhoCameAndHowLongTheyWereThereWhileOpen() {
        ServerMessage.GroupInfo g = schedule(false, false);
        time.advance(Duration.ofMinutes(50)); // 12:50
        groups.access().enter(DANA, g.room(), "n/dana");
        groups.access().enter(ROBIN, g.room(), "n/robin");
        time.advance(Duration.ofMinutes(10)); // 13:00
        groups.controls().open(DANA, g.groupId(), "o");
        groups.access().enter(CASEY, g.room(), "n/casey");
        time.advance(Duration.ofMinutes(20)); // 13:20
        groups.access().left(CASEY.id(), g.room(), "n/casey");
        time.advance(Duration.ofMinutes(40)); // 14:00
        groups.controls().close(DANA, g.groupId(), "c");

        ServerMessage.Attendance attendance = groups.controls().attendance(DANA, g.groupId(), null, "a");
        assertThat(attendance.openedAt()).isEqualTo("2026-11-30T13:00:00Z");
        assertThat(attendance.closedAt()).isEqualTo("2026-11-30T14:00:00Z");
        assertThat(attendance.attendees()).extracting(a -> a.user().pseudonym()).containsExactly("Robin", "Casey");
        assertThat(attendance.attendees().get(0).presentSeconds()).isEqualTo(3600);
        assertThat(attendance.attendees().get(0).firstJoinedAt()).isEqualTo("2026-11-30T12:50:00Z");
        assertThat(attendance.attendees().get(0).lastLeftAt()).isEqualTo("2026-11-30T14:00:00Z");
        assertThat(attendance.attendees().get(1).presentSeconds()).isEqualTo(1200);
        assertThat(attendance.attendees().get(1).lastLeftAt()).isEqualTo("2026-11-30T13:20:00Z");
        assertThat(refusal(() -> groups.controls().attendance(ROBIN, g.groupId(), null, "a")))
                .isEqualTo(ErrorCode.FORBIDDEN);
    }

    @Test
    void aMeetingNobodyClosedClosesAfterItsEndAndTheGrace() {
        ServerMessage.GroupInfo g = running(ROBIN);
        time.advance(Duration.ofMinutes(10 + 60 + 9)); // 14:09: ended at 14:00, grace 10 min
        groups.tick();
        assertThat(lastState(ROBIN.id()).phase()).isEqualTo("open");
        time.advance(Duration.ofMinutes(1));
        assertThat(groups.due()).isTrue();
        groups.tick();
        assertThat(lastState(ROBIN.id()).phase()).isEqualTo("closed");
        assertThat(groups.scheduling().list(ROBIN.id(), null, "l").groups())
                .as("a one-off group is over")
                .isEmpty();
    }

    @Test
    void registeredMembersAreRemindedOnceShortlyBeforeTheStart() {
        ServerMessage.GroupInfo g = schedule(false, false);
        groups.scheduling().register(ROBIN.user(), g.groupId(), "r");
        time.advance(Duration.ofMinutes(49));
        groups.tick();
        assertThat(sentTo(ROBIN.id(), ServerMessage.GroupReminder.class)).isEmpty();
        time.advance(Duration.ofMinutes(1)); // 12:50, ten minutes before
        groups.tick();
        groups.tick();
        assertThat(sentTo(ROBIN.id(), ServerMessage.GroupReminder.class))
                .singleElement()
                .satisfies(r -> {
                    assertThat(r.startsInSeconds()).isEqualTo(600);
                    assertThat(r.group().groupId()).isEqualTo(g.groupId());
                });
        assertThat(sentTo(CASEY.id(), ServerMessage.GroupReminder.class)).isEmpty();
    }

    @Test
    void aWeeklyGroupKeepsItsLocalTimeAcrossDaylightSavingAndSkipsACancelledMeeting() {
        // 18:00 in Paris: 17:00Z in winter, 16:00Z from the end of March.
        ServerMessage.GroupInfo g = groups.scheduling()
                .create(
                        DANA,
                        new ClientMessage.CreateGroup(
                                "c",
                                "Weekly",
                                "x",
                                "2027-03-18T17:00:00Z",
                                60,
                                null,
                                "weekly",
                                "Europe/Paris",
                                null,
                                null,
                                null,
                                null))
                .group();
        GroupRecord record = new GroupRecord();
        record.firstStart = Instant.parse(g.startsAt()).toEpochMilli();
        record.recurrence = "weekly";
        record.timeZone = "Europe/Paris";
        long first = Instant.parse("2027-03-18T17:00:00Z").toEpochMilli();
        long second = record.nextStart(first);
        assertThat(Instant.ofEpochMilli(second)).isEqualTo(Instant.parse("2027-03-25T17:00:00Z"));
        assertThat(Instant.ofEpochMilli(record.nextStart(second))).isEqualTo(Instant.parse("2027-04-01T16:00:00Z"));

        ServerMessage.GroupInfo after = groups.scheduling()
                .cancel(DANA, new ClientMessage.CancelGroup("x", g.groupId(), "2027-03-18T17:00:00Z", "Holiday"))
                .group();
        assertThat(after.startsAt()).isEqualTo("2027-03-25T17:00:00Z");
        assertThat(refusal(() -> groups.scheduling()
                        .cancel(
                                DANA,
                                new ClientMessage.CancelGroup(
                                        "x", g.groupId(), "2027-03-19T17:00:00Z", "No such meeting"))))
                .isEqualTo(ErrorCode.INVALID_FIELD);
    }

    @Test
    void aWeeklyGroupMovesOnToItsNextMeetingOnceOneCloses() {
        ServerMessage.GroupInfo g = groups.scheduling()
                .create(
                        DANA,
                        new ClientMessage.CreateGroup(
                                "c",
                                "Weekly",
                                "x",
                                "2026-11-30T13:00:00Z",
                                60,
                                null,
                                "weekly",
                                null,
                                null,
                                null,
                                null,
                                null))
                .group();
        time.advance(Duration.ofMinutes(50));
        groups.access().enter(DANA, g.room(), "n/dana");
        groups.controls().open(DANA, g.groupId(), "o");
        groups.controls().close(DANA, g.groupId(), "c");
        ServerMessage.GroupInfo next =
                groups.scheduling().list(DANA.id(), null, "l").groups().get(0);
        assertThat(next.startsAt()).isEqualTo("2026-12-07T13:00:00Z");
        assertThat(next.phase()).isEqualTo("scheduled");
        assertThat(next.room()).isNotEqualTo(g.room());
        assertThat(groups.controls()
                        .attendance(DANA, g.groupId(), "2026-11-30T13:00:00Z", "a")
                        .closedAt())
                .isNotNull();
    }

    @Test
    void theStateSurvivesAnExportAndImport() {
        ServerMessage.GroupInfo g = running(ROBIN, CASEY);
        groups.controls().raiseHand(CASEY, g.groupId(), true, "h");
        groups.controls().mute(DANA, g.groupId(), ROBIN.id(), true, "m");
        GroupService elsewhere =
                new GroupService(GroupConfig.defaults(), (u, e) -> {}, (r, u) -> {}, a -> {}, archive, time);
        elsewhere.importState(groups.exportState());
        assertThat(refusal(() -> elsewhere.access().checkPost(g.room(), ROBIN))).isEqualTo(ErrorCode.MUTED);
        assertThat(elsewhere.access().checkPost(g.room(), CASEY)).isZero();
        assertThat(elsewhere.scheduling().list(CASEY.id(), null, "l").groups())
                .singleElement()
                .satisfies(info -> assertThat(info.phase()).isEqualTo("open"));
        elsewhere.access().nodesGone(java.util.Set.of("n"));
        assertThat(refusal(() -> elsewhere.access().checkPost(g.room(), CASEY))).isEqualTo(ErrorCode.NOT_IN_ROOM);
    }

    @Test
    void aClosedMeetingLeavesTheLiveStateForTheArchiveWhichKeepsTheLast52() {
        ServerMessage.GroupInfo g = groups.scheduling()
                .create(
                        DANA,
                        new ClientMessage.CreateGroup(
                                "c",
                                "Weekly",
                                "x",
                                "2026-11-30T13:00:00Z",
                                60,
                                null,
                                "weekly",
                                null,
                                null,
                                null,
                                null,
                                null))
                .group();
        String firstRoom = g.room();
        for (int week = 0; week < GroupRecord.KEPT_MEETINGS + 1; week++) {
            time.advance(Duration.ofMinutes(50));
            String room = groups.scheduling()
                    .list(DANA.id(), null, "l")
                    .groups()
                    .get(0)
                    .room();
            groups.access().enter(ROBIN, room, "n/robin");
            groups.controls().open(DANA, g.groupId(), "o");
            groups.controls().close(DANA, g.groupId(), "c");
            time.advance(Duration.ofDays(7).minusMinutes(50));
        }
        assertThat(groups.exportState()).doesNotContain("Robin");
        assertThat(archive.find(firstRoom)).as("the oldest meeting fell out").isEmpty();
        ServerMessage.Attendance second = groups.controls().attendance(DANA, g.groupId(), "2026-12-07T13:00:00Z", "a");
        assertThat(second.attendees()).extracting(a -> a.user().pseudonym()).containsExactly("Robin");
        assertThat(refusal(() -> groups.controls().attendance(DANA, g.groupId(), "2026-11-30T13:00:00Z", "a")))
                .isEqualTo(ErrorCode.GROUP_NOT_OPEN);
    }

    @Test
    void facilitatorsHearWhenAMemberComesOrGoesAndMembersDoNot() {
        ServerMessage.GroupInfo g = running(ROBIN);
        int robinStates = sentTo(ROBIN.id(), GroupState.class).size();
        groups.access().enter(CASEY, g.room(), "n/casey");
        assertThat(lastState(DANA.id()).participants()).isEqualTo(2);
        groups.access().left(CASEY.id(), g.room(), "n/casey");
        assertThat(lastState(DANA.id()).participants()).isEqualTo(1);
        assertThat(sentTo(ROBIN.id(), GroupState.class)).hasSize(robinStates);
    }
}
