package org.kindred.server.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ManagedRoom;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.KindredNode;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.store.Engines;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.TestNode;

/**
 * Rooms that moderators make, edit, archive and restore over the WebSocket, on real sockets: a room made on one node of
 * a cluster (real Redis, shared PostgreSQL) is joined by a member on the other; anyone but a moderator is refused;
 * each refusal has its own code; every change is in the audit log; a single node restarted on its embedded database
 * keeps the rooms, archived ones archived.
 */
class ModeratorRoomsIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @TempDir
    Path dataDir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private KindredNode single() throws InterruptedException {
        KindredNode node = KindredNode.start(TestNode.config()
                .storage(StorageConfig.embedded(dataDir))
                .jwt(TestCluster.jwt())
                .build());
        open.add(node);
        return node;
    }

    private RawClient client(KindredNode node, String pseudonym, String role) throws Exception {
        RawClient client = RawClient.signedIn(node.webSocketUri(), TestCluster.token(pseudonym, role));
        open.add(client);
        return client;
    }

    private static ManagedRoom managed(RawClient client, String ref, String command) {
        client.send(command.replace("{", "{\"ref\":\"" + ref + "\","));
        return ((ServerMessage.RoomManaged) client.awaitReply(ref)).room();
    }

    private static String error(RawClient client, String ref, String command) {
        client.send(command.replace("{", "{\"ref\":\"" + ref + "\","));
        return client.awaitError(ref).code();
    }

    private static List<String> listed(RawClient client, String ref) {
        client.send("{\"type\":\"list_rooms\",\"ref\":\"" + ref + "\"}");
        return ((ServerMessage.RoomList) client.awaitReply(ref))
                .rooms().stream().map(RoomInfo::id).toList();
    }

    @Test
    void aRoomAModeratorMakesOnOneNodeIsJoinedByAMemberOnTheOther() throws Exception {
        StorageConfig postgres = Engines.postgres();
        open.add(() -> Engines.dropPostgres(postgres));
        TestCluster cluster = TestCluster.start(2, RedisConfig.standalone(REDIS.uri()), c -> c.storage(postgres));
        open.add(cluster);
        RawClient moderator = cluster.signedIn(0, "Jo", "moderator");
        RawClient member = cluster.signedIn(1, "Robin", "member");

        ManagedRoom made = managed(
                moderator,
                "c",
                "{\"type\":\"create_room\",\"room\":\"night-owls\",\"title\":\"Night owls\","
                        + "\"tags\":[\"sleep\"],\"presence\":\"count\"}");
        assertThat(made.archived()).isFalse();
        assertThat(made.presence()).isEqualTo("count");
        assertThat(made.rules()).as("the default rules").containsExactly("new_member_contacts");
        assertThat(made.createdBy()).isEqualTo(moderator.userId());

        int[] ref = {0};
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listed(member, "l" + ref[0]++).contains("night-owls"));
        member.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"night-owls\"}");
        assertThat(member.awaitReply("j")).isInstanceOf(ServerMessage.Joined.class);

        ManagedRoom edited = managed(
                moderator, "e", "{\"type\":\"edit_room\",\"room\":\"night-owls\",\"title\":\"Night owls (3am)\"}");
        assertThat(edited.title()).isEqualTo("Night owls (3am)");
        assertThat(edited.tags()).as("fields left out stay").containsExactly("sleep");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            member.send("{\"type\":\"list_rooms\",\"ref\":\"t" + ref[0] + "\"}");
            return ((ServerMessage.RoomList) member.awaitReply("t" + ref[0]++))
                    .rooms().stream().anyMatch(r -> r.title().equals("Night owls (3am)"));
        });

        // Archived: the member on the other node reads why and the room is gone from its list.
        assertThat(managed(moderator, "a", "{\"type\":\"archive_room\",\"room\":\"night-owls\"}")
                        .archived())
                .isTrue();
        assertThat(member.await(
                                ServerMessage.ChatMessage.class,
                                m -> m.author().id().equals("system"))
                        .text())
                .contains("archived");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !listed(member, "l" + ref[0]++).contains("night-owls"));

        moderator.send("{\"type\":\"list_managed_rooms\",\"ref\":\"m\"}");
        assertThat(((ServerMessage.ManagedRoomList) moderator.awaitReply("m")).rooms())
                .singleElement()
                .satisfies(room -> assertThat(room.archived()).isTrue());

        managed(moderator, "r", "{\"type\":\"restore_room\",\"room\":\"night-owls\"}");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> listed(member, "l" + ref[0]++).contains("night-owls"));
    }

    @Test
    void anyoneButAModeratorIsRefusedEveryRoomCommand() throws Exception {
        KindredNode node = single();
        for (String role : List.of("member", "mentor", "facilitator")) {
            RawClient user = client(node, "Not" + role, role);
            assertThat(error(user, "c", "{\"type\":\"create_room\",\"room\":\"mine\",\"title\":\"Mine\"}"))
                    .isEqualTo("forbidden");
            assertThat(error(user, "e", "{\"type\":\"edit_room\",\"room\":\"mine\",\"title\":\"Mine\"}"))
                    .isEqualTo("forbidden");
            assertThat(error(user, "a", "{\"type\":\"archive_room\",\"room\":\"diabetes\"}"))
                    .isEqualTo("forbidden");
            assertThat(error(user, "r", "{\"type\":\"restore_room\",\"room\":\"diabetes\"}"))
                    .isEqualTo("forbidden");
            assertThat(error(user, "l", "{\"type\":\"list_managed_rooms\"}")).isEqualTo("forbidden");
            assertThat(listed(user, "rooms")).doesNotContain("mine");
        }
    }

    @Test
    void eachRefusalHasItsOwnCode() throws Exception {
        KindredNode node = single();
        RawClient moderator = client(node, "Jo", "moderator");
        managed(moderator, "ok", "{\"type\":\"create_room\",\"room\":\"garden\",\"title\":\"Garden\"}");

        assertThat(error(moderator, "1", "{\"type\":\"create_room\",\"room\":\"garden\",\"title\":\"Again\"}"))
                .as("made at run time already")
                .isEqualTo("room_exists");
        assertThat(error(moderator, "2", "{\"type\":\"create_room\",\"room\":\"diabetes\",\"title\":\"Again\"}"))
                .as("in the configuration file")
                .isEqualTo("room_exists");
        moderator.send("{\"type\":\"create_room\",\"ref\":\"3\",\"room\":\"s-1234\",\"title\":\"Session?\"}");
        ServerMessage.Error reserved = moderator.awaitError("3");
        assertThat(reserved.code()).isEqualTo("invalid_field");
        assertThat(reserved.message()).contains("'s-'");
        assertThat(error(moderator, "4", "{\"type\":\"create_room\",\"room\":\"Bad Id\",\"title\":\"Bad\"}"))
                .isEqualTo("invalid_field");
        assertThat(error(
                        moderator,
                        "5",
                        "{\"type\":\"create_room\",\"room\":\"kings\",\"title\":\"Kings\","
                                + "\"audience\":{\"roles\":[\"king\"]}}"))
                .isEqualTo("invalid_field");
        assertThat(error(
                        moderator,
                        "6",
                        "{\"type\":\"create_room\",\"room\":\"x\",\"title\":\"X\",\"presence\":\"all\"}"))
                .isEqualTo("invalid_field");
        assertThat(error(moderator, "7", "{\"type\":\"create_room\",\"room\":\"untitled\"}"))
                .isEqualTo("missing_field");
        assertThat(error(moderator, "8", "{\"type\":\"edit_room\",\"room\":\"nowhere\",\"title\":\"X\"}"))
                .isEqualTo("room_not_found");
        assertThat(error(moderator, "9", "{\"type\":\"archive_room\",\"room\":\"diabetes\"}"))
                .as("the configuration file's rooms change in the file")
                .isEqualTo("forbidden");
        assertThat(error(moderator, "10", "{\"type\":\"edit_room\",\"room\":\"garden\",\"rules\":[\"no_swearing\"]}"))
                .isEqualTo("invalid_field");
    }

    @Test
    void roomsAModeratorMadeSurviveARestartAndEveryChangeIsAudited() throws Exception {
        KindredNode node = single();
        RawClient moderator = client(node, "Jo", "moderator");
        managed(
                moderator,
                "c1",
                "{\"type\":\"create_room\",\"room\":\"mentors-corner\",\"title\":\"Mentors' corner\","
                        + "\"writers\":[\"mentor\"],\"audience\":{\"roles\":[\"mentor\"]}}");
        managed(moderator, "c2", "{\"type\":\"create_room\",\"room\":\"old-room\",\"title\":\"Old room\"}");
        managed(moderator, "e", "{\"type\":\"edit_room\",\"room\":\"old-room\",\"presence\":\"count\"}");
        managed(moderator, "a", "{\"type\":\"archive_room\",\"room\":\"old-room\"}");
        moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
        assertThat(((ServerMessage.AuditEntries) moderator.awaitReply("log"))
                        .entries().stream()
                                .filter(e -> e.action().startsWith("room_"))
                                .map(e -> e.action() + " " + e.room() + " by "
                                        + e.actor().pseudonym())
                                .toList())
                .containsExactlyInAnyOrder(
                        "room_created mentors-corner by Jo",
                        "room_created old-room by Jo",
                        "room_edited old-room by Jo",
                        "room_archived old-room by Jo");
        node.close();
        open.remove(node);

        KindredNode again = single();
        RawClient mentor = client(again, "Mia", "mentor");
        RawClient member = client(again, "Max", "member");
        assertThat(listed(mentor, "l1")).contains("mentors-corner").doesNotContain("old-room");
        assertThat(listed(member, "l2")).as("outside the audience").doesNotContain("mentors-corner");
        RawClient moderatorAgain = client(again, "Jo", "moderator");
        moderatorAgain.send("{\"type\":\"list_managed_rooms\",\"ref\":\"m\"}");
        List<ManagedRoom> kept = ((ServerMessage.ManagedRoomList) moderatorAgain.awaitReply("m")).rooms();
        assertThat(kept).extracting(ManagedRoom::id).containsExactly("mentors-corner", "old-room");
        assertThat(kept.get(0).writers()).containsExactly("mentor");
        assertThat(kept.get(1).archived()).isTrue();
        assertThat(kept.get(1).presence()).as("presence is stored").isEqualTo("count");
    }
}
