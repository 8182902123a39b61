package org.kindred.server.groupit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.GroupState;
import org.kindred.protocol.UserInfo;
import org.kindred.server.identity.Role;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestNode;

/**
 * A facilitated group meeting over real sockets against a real node whose clock the test moves (it starts at
 * 2026-11-30T12:00Z; the node ticks every real second).
 */
class GroupSessionIT {

    private final FakeTime time = new FakeTime();
    private final List<RawClient> clients = new ArrayList<>();
    private TestNode node;
    private int refs;

    @BeforeEach
    void start() throws Exception {
        node = TestNode.start(c -> c.ratePerSecond(1000).rateBurst(1000), time);
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        node.close();
    }

    private RawClient client(String name, Role role) throws Exception {
        RawClient client = RawClient.signedIn(node.ws(), node.token(name, role));
        clients.add(client);
        return client;
    }

    private ServerMessage call(RawClient client, java.util.function.Function<String, ClientMessage> command) {
        String ref = "r" + (++refs);
        client.send(command.apply(ref));
        return client.awaitReply(ref);
    }

    private static String code(ServerMessage reply) {
        return reply instanceof ServerMessage.Error error
                ? error.code()
                : reply.getClass().getSimpleName();
    }

    private ServerMessage.GroupInfo schedule(RawClient facilitator, int capacity, boolean registration) {
        ServerMessage reply = call(
                facilitator,
                ref -> new ClientMessage.CreateGroup(
                        ref,
                        "Evening circle",
                        "long-covid",
                        "2026-11-30T13:00:00Z",
                        60,
                        capacity,
                        null,
                        null,
                        registration,
                        "Be kind.",
                        true,
                        null));
        return ((ServerMessage.Group) reply).group();
    }

    private ServerMessage say(RawClient client, String room, String clientMsgId, String text) {
        return call(client, ref -> new ClientMessage.Send(ref, room, clientMsgId, text));
    }

    private GroupState enter(RawClient client, String room) {
        ServerMessage joined = call(client, ref -> new ClientMessage.Join(ref, room, null, null));
        assertThat(joined).isInstanceOf(ServerMessage.Joined.class);
        return client.await(GroupState.class, s -> s.room().equals(room));
    }

    /** A group whose meeting is open, with the facilitator and the members in its room. */
    private ServerMessage.GroupInfo openMeeting(RawClient facilitator, RawClient... members) {
        ServerMessage.GroupInfo group = schedule(facilitator, 10, false);
        time.advance(Duration.ofMinutes(50));
        enter(facilitator, group.room());
        for (RawClient member : members) {
            enter(member, group.room());
        }
        assertThat(call(facilitator, ref -> new ClientMessage.OpenGroup(ref, group.groupId())))
                .isInstanceOf(ServerMessage.Done.class);
        for (RawClient member : members) {
            member.await(GroupState.class, s -> s.phase().equals("open"));
        }
        return group;
    }

    @Test
    void aMemberCannotScheduleAGroupButAFacilitatorCan() throws Exception {
        RawClient member = client("Robin", Role.MEMBER);
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        assertThat(code(call(
                        member,
                        ref -> new ClientMessage.CreateGroup(
                                ref,
                                "Mine",
                                "x",
                                "2026-11-30T13:00:00Z",
                                60,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null))))
                .isEqualTo("forbidden");
        ServerMessage.GroupInfo group = schedule(facilitator, 10, false);
        assertThat(group.facilitators()).extracting(UserInfo::pseudonym).containsExactly("Dana");
        ServerMessage.GroupList list =
                (ServerMessage.GroupList) call(member, ref -> new ClientMessage.ListGroups(ref, "long-covid"));
        assertThat(list.groups()).extracting(ServerMessage.GroupInfo::groupId).containsExactly(group.groupId());
        assertThat(code(call(member, ref -> new ClientMessage.CancelGroup(ref, group.groupId(), null, "no"))))
                .isEqualTo("forbidden");
    }

    @Test
    void membersWaitInTheLobbyAndPostOnceTheFacilitatorOpens() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient member = client("Robin", Role.MEMBER);
        ServerMessage.GroupInfo group = schedule(facilitator, 10, true);
        assertThat(code(call(member, ref -> new ClientMessage.Join(ref, group.room(), null, null))))
                .isEqualTo("group_not_open");

        time.advance(Duration.ofMinutes(46)); // 12:46: the lobby opened at 12:45
        assertThat(code(call(member, ref -> new ClientMessage.Join(ref, group.room(), null, null))))
                .isEqualTo("registration_required");
        assertThat(call(member, ref -> new ClientMessage.RegisterGroup(ref, group.groupId())))
                .isInstanceOf(ServerMessage.Group.class);
        GroupState lobby = enter(member, group.room());
        assertThat(lobby.phase()).isEqualTo("lobby");
        assertThat(lobby.pinned().rules()).isEqualTo("Be kind.");
        assertThat(code(say(member, group.room(), "m1", "hello?"))).isEqualTo("group_not_open");
        assertThat(code(call(member, ref -> new ClientMessage.Typing(ref, group.room(), true))))
                .isEqualTo("group_not_open");

        enter(facilitator, group.room());
        assertThat(code(say(facilitator, group.room(), "f1", "Welcome, we start in a few minutes")))
                .isEqualTo("Ack");
        call(facilitator, ref -> new ClientMessage.OpenGroup(ref, group.groupId()));
        member.await(GroupState.class, s -> s.phase().equals("open"));
        assertThat(code(say(member, group.room(), "m1", "hello everyone"))).isEqualTo("Ack");
        facilitator.await(ServerMessage.ChatMessage.class, m -> m.text().equals("hello everyone"));

        call(facilitator, ref -> new ClientMessage.CloseGroup(ref, group.groupId()));
        member.await(GroupState.class, s -> s.phase().equals("closed"));
        assertThat(code(say(member, group.room(), "m2", "one more thing"))).isEqualTo("group_closed");
    }

    @Test
    void registeredMembersAreRemindedShortlyBeforeTheStart() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient member = client("Robin", Role.MEMBER);
        RawClient other = client("Casey", Role.MEMBER);
        ServerMessage.GroupInfo group = schedule(facilitator, 10, false);
        call(member, ref -> new ClientMessage.RegisterGroup(ref, group.groupId()));
        time.advance(Duration.ofMinutes(50)); // 12:50, ten minutes before the start

        ServerMessage.GroupReminder reminder = member.await(ServerMessage.GroupReminder.class, r -> true);
        assertThat(reminder.group().groupId()).isEqualTo(group.groupId());
        assertThat(reminder.startsInSeconds()).isBetween(590L, 600L);
        assertThat(other.received(ServerMessage.GroupReminder.class)).isEmpty();
    }

    @Test
    void theServerEnforcesMuteLockSlowModeAndListenOnly() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        RawClient casey = client("Casey", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin, casey);
        String room = group.room();
        String robinId =
                robin.received(ServerMessage.Welcome.class).get(0).user().id();

        call(facilitator, ref -> new ClientMessage.Mute(ref, group.groupId(), robinId, true));
        casey.await(GroupState.class, s -> s.muted().contains(robinId));
        assertThat(code(say(robin, room, "r1", "but"))).isEqualTo("muted");
        assertThat(code(say(casey, room, "c1", "I can still talk"))).isEqualTo("Ack");
        call(facilitator, ref -> new ClientMessage.Mute(ref, group.groupId(), robinId, false));

        call(facilitator, ref -> new ClientMessage.SetGroupChat(ref, group.groupId(), true, null, null));
        assertThat(code(say(robin, room, "r2", "hello"))).isEqualTo("chat_locked");
        assertThat(code(say(facilitator, room, "f1", "Let us take a breath"))).isEqualTo("Ack");
        call(facilitator, ref -> new ClientMessage.SetGroupChat(ref, group.groupId(), false, 60, null));
        assertThat(code(say(robin, room, "r3", "first"))).isEqualTo("Ack");
        ServerMessage refused = say(robin, room, "r4", "second");
        assertThat(code(refused)).isEqualTo("slow_mode");
        assertThat(((ServerMessage.Error) refused).retryAfterMs()).isBetween(1L, 60_000L);
        ServerMessage repeated = say(robin, room, "r3", "first");
        assertThat(repeated)
                .as("a send repeated after a lost ack keeps its turn")
                .isInstanceOfSatisfying(
                        ServerMessage.Ack.class,
                        ack -> assertThat(ack.duplicate()).isTrue());
        assertThat(code(say(facilitator, room, "f2", "Facilitators are exempt")))
                .isEqualTo("Ack");

        call(casey, ref -> new ClientMessage.ListenOnly(ref, group.groupId(), true));
        assertThat(code(say(casey, room, "c2", "hi"))).isEqualTo("listen_only");
        assertThat(code(call(casey, ref -> new ClientMessage.RaiseHand(ref, group.groupId(), true))))
                .isEqualTo("listen_only");
    }

    @Test
    void aRemovedMemberLeavesTheRoomAndABannedOneCannotComeBack() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        RawClient casey = client("Casey", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin, casey);
        String robinId =
                robin.received(ServerMessage.Welcome.class).get(0).user().id();

        call(
                facilitator,
                ref -> new ClientMessage.RemoveParticipant(ref, group.groupId(), robinId, true, "Please take a break"));
        ServerMessage.RemovedFromGroup removed = robin.await(ServerMessage.RemovedFromGroup.class, r -> true);
        assertThat(removed.banned()).isTrue();
        assertThat(removed.reason()).isEqualTo("Please take a break");
        casey.await(ServerMessage.PresenceLeft.class, p -> p.user().id().equals(robinId));
        assertThat(code(say(robin, group.room(), "r1", "wait"))).isEqualTo("not_in_room");
        assertThat(code(call(robin, ref -> new ClientMessage.Join(ref, group.room(), null, null))))
                .isEqualTo("removed_from_group");

        say(casey, group.room(), "c1", "after Robin left");
        assertThat(robin.received(ServerMessage.ChatMessage.class))
                .noneMatch(m -> m.text().equals("after Robin left"));
        assertThat(call(facilitator, ref -> new ClientMessage.LiftGroupBan(ref, group.groupId(), robinId)))
                .isInstanceOf(ServerMessage.Done.class);
        enter(robin, group.room());

        RawClient moderator = client("Jo", Role.MODERATOR);
        ServerMessage.AuditEntries audit =
                (ServerMessage.AuditEntries) call(moderator, ref -> new ClientMessage.ReadAudit(ref, 10));
        assertThat(audit.entries()).anyMatch(entry -> entry.action().equals("participant_unbanned"));
        assertThat(audit.entries()).anySatisfy(entry -> {
            assertThat(entry.action()).isEqualTo("participant_banned");
            assertThat(entry.actor().pseudonym()).isEqualTo("Dana");
            assertThat(entry.target().id()).isEqualTo(robinId);
            assertThat(entry.reason()).isEqualTo("Please take a break");
        });
    }

    @Test
    void raisedHandsFormAQueueEveryoneSeesAndOnlyTheFloorHolderPosts() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        RawClient casey = client("Casey", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin, casey);

        call(casey, ref -> new ClientMessage.RaiseHand(ref, group.groupId(), true));
        call(robin, ref -> new ClientMessage.RaiseHand(ref, group.groupId(), true));
        GroupState queued = robin.await(GroupState.class, s -> s.hands().size() == 2);
        assertThat(queued.hands()).extracting(UserInfo::pseudonym).containsExactly("Casey", "Robin");

        call(facilitator, ref -> new ClientMessage.GiveFloor(ref, group.groupId(), null));
        robin.await(
                GroupState.class,
                s -> s.floor() != null && s.floor().user().pseudonym().equals("Casey"));
        assertThat(code(say(casey, group.room(), "c1", "My turn"))).isEqualTo("Ack");
        assertThat(code(say(robin, group.room(), "r1", "me too"))).isEqualTo("not_your_turn");

        call(facilitator, ref -> new ClientMessage.GiveFloor(ref, group.groupId(), null));
        casey.await(
                GroupState.class,
                s -> s.floor() != null && s.floor().user().pseudonym().equals("Robin"));
        assertThat(code(say(robin, group.room(), "r1", "Thanks"))).isEqualTo("Ack");

        int seen = casey.received(GroupState.class).size();
        time.advance(Duration.ofMinutes(3)); // the floor time runs out
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<GroupState> states = casey.received(GroupState.class);
            return states.size() > seen && states.get(states.size() - 1).floor() == null;
        });
        assertThat(code(say(casey, group.room(), "c2", "Open discussion again")))
                .isEqualTo("Ack");
    }

    @Test
    void theFacilitatorPinsAMessageForEveryone() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin);
        ServerMessage.Ack ack = (ServerMessage.Ack) say(facilitator, group.room(), "f1", "Tonight: pacing");
        call(facilitator, ref -> new ClientMessage.Pin(ref, group.groupId(), ack.seq()));
        GroupState pinned = robin.await(
                GroupState.class, s -> s.pinned() != null && s.pinned().message() != null);
        assertThat(pinned.pinned().message().text()).isEqualTo("Tonight: pacing");
        assertThat(code(call(facilitator, ref -> new ClientMessage.Pin(ref, group.groupId(), 999L))))
                .isEqualTo("message_not_found");
        assertThat(code(call(robin, ref -> new ClientMessage.Pin(ref, group.groupId(), ack.seq()))))
                .isEqualTo("forbidden");
    }

    @Test
    void theFacilitatorReadsAttendanceAfterTheMeeting() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin);
        time.advance(Duration.ofMinutes(30));
        call(robin, ref -> new ClientMessage.Leave(ref, group.room()));
        call(facilitator, ref -> new ClientMessage.CloseGroup(ref, group.groupId()));

        ServerMessage.Attendance attendance = (ServerMessage.Attendance)
                call(facilitator, ref -> new ClientMessage.ReadAttendance(ref, group.groupId(), null));
        assertThat(attendance.attendees()).singleElement().satisfies(a -> {
            assertThat(a.user().pseudonym()).isEqualTo("Robin");
            assertThat(a.presentSeconds()).isEqualTo(1800);
            assertThat(a.lastLeftAt()).isEqualTo("2026-11-30T13:20:00Z");
        });
        assertThat(code(call(robin, ref -> new ClientMessage.ReadAttendance(ref, group.groupId(), null))))
                .isEqualTo("forbidden");
    }

    @Test
    void crisisLanguageInAMeetingAlertsItsFacilitator() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin);
        say(robin, group.room(), "r1", "Some nights I just want to end it all.");
        ServerMessage.Alert alert = facilitator.await(ServerMessage.Alert.class, a -> true);
        assertThat(alert.message().room()).isEqualTo(group.room());
        robin.await(ServerMessage.CrisisSupport.class, c -> true);
    }

    @Test
    void aModeratorDeletesAMessageInAMeeting() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        RawClient moderator = client("Jo", Role.MODERATOR);
        ServerMessage.GroupInfo group = openMeeting(facilitator, robin);
        ServerMessage.Ack ack = (ServerMessage.Ack) say(robin, group.room(), "r1", "call me on 0612345678");
        assertThat(call(
                        moderator,
                        ref -> new ClientMessage.DeleteMessage(ref, group.room(), ack.seq(), "No phone numbers")))
                .isNotInstanceOf(ServerMessage.Error.class);
        facilitator.await(ServerMessage.MessageDeleted.class, d -> d.seq() == ack.seq());
    }

    @Test
    void theClientSdkRunsAMeetingAgainstTheServer() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        org.kindred.server.testing.RecordingListener seen = new org.kindred.server.testing.RecordingListener();
        try (org.kindred.client.KindredClient robin = org.kindred.client.KindredClient.builder()
                .url(node.wsUri())
                .token(node.token("Robin", Role.MEMBER))
                .listener(seen)
                .build()) {
            robin.connect().get(10, java.util.concurrent.TimeUnit.SECONDS);
            ServerMessage.GroupInfo group = schedule(facilitator, 10, true);
            robin.registerGroup(group.groupId()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            time.advance(Duration.ofMinutes(50));
            enter(facilitator, group.room());
            robin.join(group.room()).get(10, java.util.concurrent.TimeUnit.SECONDS);
            org.awaitility.Awaitility.await()
                    .until(() -> robin.groupState(group.room())
                            .map(s -> s.phase().equals("lobby"))
                            .orElse(false));
            call(facilitator, ref -> new ClientMessage.OpenGroup(ref, group.groupId()));
            org.awaitility.Awaitility.await()
                    .until(() -> robin.groupState(group.room())
                            .map(s -> s.phase().equals("open"))
                            .orElse(false));
            robin.send(group.room(), "hello from the app").get(10, java.util.concurrent.TimeUnit.SECONDS);

            String robinId = facilitator
                    .await(ServerMessage.ChatMessage.class, m -> m.text().equals("hello from the app"))
                    .author()
                    .id();
            call(facilitator, ref -> new ClientMessage.Mute(ref, group.groupId(), robinId, true));
            org.awaitility.Awaitility.await()
                    .until(() -> robin.groupState(group.room())
                            .map(s -> s.muted().contains(robinId))
                            .orElse(false));
            assertThat(robin.send(group.room(), "am I muted?"))
                    .failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .havingCause()
                    .isInstanceOfSatisfying(
                            org.kindred.client.KindredException.class,
                            e -> assertThat(e.code()).isEqualTo("muted"));
        }
    }

    @Test
    void metricsCountMeetingsOnAndTheirMembers() throws Exception {
        RawClient facilitator = client("Dana", Role.FACILITATOR);
        RawClient robin = client("Robin", Role.MEMBER);
        RawClient casey = client("Casey", Role.MEMBER);
        openMeeting(facilitator, robin, casey);
        String metrics = node.management("/metrics").body();
        assertThat(metrics).contains("kindred_groups_meetings_active 1.0").contains("kindred_groups_participants 2.0");
    }
}
