package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.GroupState;
import org.kindred.protocol.UserInfo;
import org.kindred.server.config.GroupConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/**
 * Group meetings with the facilitator and the members on different nodes: every control is the cluster's, enforced by
 * the node each member posts through, within a second. Real time: lobbies open an hour before the start, so a meeting
 * scheduled half an hour ahead can be entered at once.
 */
class ClusterGroupsIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private static final GroupConfig OPEN_LOBBIES = new GroupConfig(
            20, Duration.ofHours(1), Duration.ofMinutes(10), Duration.ofMinutes(10), Duration.ofMinutes(3));

    private TestCluster cluster;
    private final AtomicInteger refs = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = startCluster();
    }

    private static TestCluster startCluster() throws InterruptedException {
        return TestCluster.start(
                3,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.ratePerSecond(1000).rateBurst(1000).groups(OPEN_LOBBIES));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient client(int node, String pseudonym, String role) throws Exception {
        return cluster.signedIn(node, pseudonym, role);
    }

    private ServerMessage call(RawClient client, Function<String, ClientMessage> command) {
        String ref = "r" + refs.incrementAndGet();
        client.send(command.apply(ref));
        return client.awaitReply(ref);
    }

    private static String code(ServerMessage reply) {
        return reply instanceof ServerMessage.Error error
                ? error.code()
                : reply.getClass().getSimpleName();
    }

    private static String idOf(RawClient client) {
        return client.received(ServerMessage.Welcome.class).get(0).user().id();
    }

    private ServerMessage.GroupInfo schedule(RawClient facilitator, int capacity) {
        String startsAt = Instant.now()
                .plus(Duration.ofMinutes(30))
                .truncatedTo(ChronoUnit.SECONDS)
                .toString();
        return ((ServerMessage.Group) call(
                        facilitator,
                        ref -> new ClientMessage.CreateGroup(
                                ref,
                                "Evening circle",
                                "long-covid",
                                startsAt,
                                60,
                                capacity,
                                "weekly",
                                null,
                                false,
                                "Be kind.",
                                true,
                                null)))
                .group();
    }

    private void enter(RawClient client, String room) {
        assertThat(call(client, ref -> new ClientMessage.Join(ref, room, null, null)))
                .isInstanceOf(ServerMessage.Joined.class);
        client.await(GroupState.class, s -> s.room().equals(room));
    }

    /** Sends until the node refuses with this code: the control reached it; fails after a second. */
    private void refusedWithin1s(RawClient member, String room, String expectedCode) {
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    String clientMsgId = "try-" + refs.incrementAndGet();
                    return expectedCode.equals(code(call(
                            member,
                            ref -> new ClientMessage.Send(ref, room, clientMsgId, "is this reaching anyone?"))));
                });
    }

    /** A meeting opened on node 0 by its facilitator, with one member on node 1 and one on node 2. */
    private record Meeting(RawClient facilitator, RawClient robin, RawClient casey, ServerMessage.GroupInfo group) {
        String room() {
            return group.room();
        }

        String id() {
            return group.groupId();
        }
    }

    private Meeting openMeeting() throws Exception {
        RawClient facilitator = client(0, "Dana", "facilitator");
        RawClient robin = client(1, "Robin", "member");
        RawClient casey = client(2, "Casey", "member");
        ServerMessage.GroupInfo group = schedule(facilitator, 10);
        enter(facilitator, group.room());
        enter(robin, group.room());
        enter(casey, group.room());
        call(facilitator, ref -> new ClientMessage.OpenGroup(ref, group.groupId()));
        robin.await(GroupState.class, s -> s.phase().equals("open"));
        casey.await(GroupState.class, s -> s.phase().equals("open"));
        return new Meeting(facilitator, robin, casey, group);
    }

    @Test
    void aClosedMeetingLeavesNoRoomOnAnyNodeOnceItsMembersLeave() throws Exception {
        Meeting m = openMeeting();
        for (int node = 0; node < 3; node++) {
            assertThat(cluster.node(node).rooms().existing(m.room()))
                    .as("node %s", node)
                    .isPresent();
        }

        call(m.facilitator(), ref -> new ClientMessage.CloseGroup(ref, m.id()));
        m.robin().await(GroupState.class, s -> s.phase().equals("closed"));
        for (RawClient client : List.of(m.facilitator(), m.robin(), m.casey())) {
            assertThat(call(client, ref -> new ClientMessage.Leave(ref, m.room())))
                    .isInstanceOf(ServerMessage.Left.class);
        }

        for (int node = 0; node < 3; node++) {
            assertThat(cluster.node(node).rooms().existing(m.room()))
                    .as("node %s", node)
                    .isEmpty();
        }
    }

    @Test
    void muteAndLockMadeOnOneNodeHoldOnTheOthersWithinASecond() throws Exception {
        Meeting m = openMeeting();
        assertThat(code(call(m.robin(), ref -> new ClientMessage.Send(ref, m.room(), "r0", "hi all"))))
                .isEqualTo("Ack");
        m.facilitator().await(ServerMessage.ChatMessage.class, msg -> msg.text().equals("hi all"));

        call(m.facilitator(), ref -> new ClientMessage.Mute(ref, m.id(), idOf(m.robin()), true));
        refusedWithin1s(m.robin(), m.room(), "muted");
        assertThat(code(call(m.casey(), ref -> new ClientMessage.Send(ref, m.room(), "c0", "still here"))))
                .isEqualTo("Ack");

        call(m.facilitator(), ref -> new ClientMessage.SetGroupChat(ref, m.id(), true, null, null));
        refusedWithin1s(m.casey(), m.room(), "chat_locked");
        assertThat(code(call(m.facilitator(), ref -> new ClientMessage.Send(ref, m.room(), "f0", "one moment"))))
                .isEqualTo("Ack");
    }

    @Test
    void slowModeGivesAMemberOneMessagePerPeriodThroughAnyNode() throws Exception {
        Meeting m = openMeeting();
        RawClient robinElsewhere = client(2, "Robin", "member");
        enter(robinElsewhere, m.room());
        call(m.facilitator(), ref -> new ClientMessage.SetGroupChat(ref, m.id(), null, 30, null));
        robinElsewhere.await(GroupState.class, s -> s.slowModeSeconds() == 30);
        m.robin().await(GroupState.class, s -> s.slowModeSeconds() == 30);

        assertThat(code(call(m.robin(), ref -> new ClientMessage.Send(ref, m.room(), "r1", "first"))))
                .isEqualTo("Ack");
        ServerMessage second = call(robinElsewhere, ref -> new ClientMessage.Send(ref, m.room(), "r2", "second"));
        assertThat(code(second)).isEqualTo("slow_mode");
        assertThat(((ServerMessage.Error) second).retryAfterMs()).isBetween(1L, 30_000L);
        assertThat(code(call(m.casey(), ref -> new ClientMessage.Send(ref, m.room(), "c1", "mine"))))
                .isEqualTo("Ack");
    }

    @Test
    void aMemberWhoOnlyListensCannotPostThroughAnyNode() throws Exception {
        Meeting m = openMeeting();
        RawClient robinElsewhere = client(2, "Robin", "member");
        enter(robinElsewhere, m.room());
        call(m.robin(), ref -> new ClientMessage.ListenOnly(ref, m.id(), true));
        m.facilitator().await(GroupState.class, s -> s.listenOnly().contains(idOf(m.robin())));
        refusedWithin1s(robinElsewhere, m.room(), "listen_only");
        assertThat(code(call(robinElsewhere, ref -> new ClientMessage.RaiseHand(ref, m.id(), true))))
                .isEqualTo("listen_only");
        call(robinElsewhere, ref -> new ClientMessage.ListenOnly(ref, m.id(), false));
        Awaitility.await()
                .atMost(Duration.ofSeconds(1))
                .until(() -> code(call(
                                m.robin(),
                                ref -> new ClientMessage.Send(
                                        ref, m.room(), "back-" + refs.incrementAndGet(), "I am back")))
                        .equals("Ack"));
    }

    @Test
    void aRemovedMemberIsTakenOutOfTheRoomOnItsOwnNode() throws Exception {
        Meeting m = openMeeting();
        String robinId = idOf(m.robin());
        call(m.facilitator(), ref -> new ClientMessage.RemoveParticipant(ref, m.id(), robinId, false, "Break, please"));
        m.robin().await(ServerMessage.RemovedFromGroup.class, r -> r.room().equals(m.room()));
        m.casey().await(ServerMessage.PresenceLeft.class, p -> p.user().id().equals(robinId));
        assertThat(code(call(m.robin(), ref -> new ClientMessage.Send(ref, m.room(), "r1", "hey"))))
                .isEqualTo("not_in_room");
        call(m.casey(), ref -> new ClientMessage.Send(ref, m.room(), "c1", "after the removal"));
        m.facilitator().await(ServerMessage.ChatMessage.class, msg -> msg.text().equals("after the removal"));
        assertThat(m.robin().received(ServerMessage.ChatMessage.class))
                .noneMatch(msg -> msg.text().equals("after the removal"));
        enter(m.robin(), m.room()); // not banned: it may come back
    }

    @Test
    void handsRaisedOnTwoNodesQueueInOrderAndTheFloorHolderAlonePosts() throws Exception {
        Meeting m = openMeeting();
        call(m.casey(), ref -> new ClientMessage.RaiseHand(ref, m.id(), true));
        m.facilitator().await(GroupState.class, s -> s.hands().size() == 1);
        call(m.robin(), ref -> new ClientMessage.RaiseHand(ref, m.id(), true));
        GroupState queue =
                m.facilitator().await(GroupState.class, s -> s.hands().size() == 2);
        assertThat(queue.hands()).extracting(UserInfo::pseudonym).containsExactly("Casey", "Robin");
        assertThat(m.robin().await(GroupState.class, s -> s.hands().size() == 2).hands())
                .extracting(UserInfo::pseudonym)
                .containsExactly("Casey", "Robin");

        call(m.facilitator(), ref -> new ClientMessage.GiveFloor(ref, m.id(), null));
        refusedWithin1s(m.robin(), m.room(), "not_your_turn");
        assertThat(code(call(m.casey(), ref -> new ClientMessage.Send(ref, m.room(), "c1", "My turn"))))
                .isEqualTo("Ack");
    }

    @Test
    void capacityCountsMembersOnEveryNode() throws Exception {
        RawClient facilitator = client(0, "Dana", "facilitator");
        RawClient robin = client(1, "Robin", "member");
        RawClient casey = client(2, "Casey", "member");
        ServerMessage.GroupInfo group = schedule(facilitator, 1);
        enter(facilitator, group.room());
        enter(robin, group.room());
        assertThat(code(call(casey, ref -> new ClientMessage.Join(ref, group.room(), null, null))))
                .isEqualTo("group_full");
        call(robin, ref -> new ClientMessage.Leave(ref, group.room()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> code(call(casey, ref -> new ClientMessage.Join(ref, group.room(), null, null)))
                        .equals("Joined"));
    }

    @Test
    void theScheduleAndRegistrationsSurviveARestartOfEveryNode() throws Exception {
        RawClient facilitator = client(0, "Dana", "facilitator");
        RawClient robin = client(1, "Robin", "member");
        ServerMessage.GroupInfo group = schedule(facilitator, 10);
        call(robin, ref -> new ClientMessage.RegisterGroup(ref, group.groupId()));
        cluster.close();

        cluster = startCluster();
        RawClient again = client(2, "Robin", "member");
        ServerMessage.GroupList list =
                (ServerMessage.GroupList) call(again, ref -> new ClientMessage.ListGroups(ref, null));
        assertThat(list.groups()).singleElement().satisfies(g -> {
            assertThat(g.groupId()).isEqualTo(group.groupId());
            assertThat(g.startsAt()).isEqualTo(group.startsAt());
            assertThat(g.youAreRegistered()).isTrue();
        });
    }

    @Test
    void aMembersPlaceIsFreedWhenItsNodeDies() throws Exception {
        RawClient facilitator = client(0, "Dana", "facilitator");
        RawClient robin = client(1, "Robin", "member");
        RawClient casey = client(2, "Casey", "member");
        ServerMessage.GroupInfo group = schedule(facilitator, 1);
        enter(robin, group.room());
        cluster.halt(1);
        Awaitility.await()
                .atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> code(call(casey, ref -> new ClientMessage.Join(ref, group.room(), null, null)))
                        .equals("Joined"));
        call(facilitator, ref -> new ClientMessage.OpenGroup(ref, group.groupId()));
        call(facilitator, ref -> new ClientMessage.CloseGroup(ref, group.groupId()));
        ServerMessage.Attendance attendance = (ServerMessage.Attendance)
                call(facilitator, ref -> new ClientMessage.ReadAttendance(ref, group.groupId(), null));
        assertThat(attendance.attendees()).extracting(a -> a.user().pseudonym()).containsExactly("Robin", "Casey");
        assertThat(attendance.attendees().get(0).lastLeftAt()).isNotNull();

        RawClient moderator = client(2, "Jo", "moderator"); // the closed meeting is read from Redis on another node
        ServerMessage.Attendance elsewhere = (ServerMessage.Attendance)
                call(moderator, ref -> new ClientMessage.ReadAttendance(ref, group.groupId(), group.startsAt()));
        assertThat(elsewhere)
                .isEqualTo(new ServerMessage.Attendance(
                        elsewhere.ref(),
                        attendance.groupId(),
                        attendance.room(),
                        attendance.startsAt(),
                        attendance.openedAt(),
                        attendance.closedAt(),
                        attendance.attendees()));
    }
}
