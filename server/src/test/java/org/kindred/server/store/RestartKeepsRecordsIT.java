package org.kindred.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.KindredNode;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;
import org.kindred.server.testing.TestNode;

/**
 * What must last outlives a restart: a ban, a report with its snapshot, an unacknowledged crisis alert, the audit log
 * a scheduled group with its registrations, and the rooms made at run time (one archived), on a single node restarted on the same data directory, on a cluster
 * whose every node and Redis were restarted (Redis coming back empty, the worst case), and on a cluster brought back
 * from a dump of its database by the documented restore procedure.
 */
class RestartKeepsRecordsIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    @TempDir
    Path dataDir;

    private final List<RawClient> clients = new ArrayList<>();
    private final List<AutoCloseable> running = new ArrayList<>();
    private StorageConfig postgres;

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RawClient::close);
        for (AutoCloseable c : running) {
            c.close();
        }
        if (postgres != null) {
            Engines.dropPostgres(postgres);
        }
    }

    private RawClient client(String ws, String pseudonym, String role) throws Exception {
        RawClient client = RawClient.signedIn(ws, TestCluster.token(pseudonym, role));
        clients.add(client);
        return client;
    }

    private KindredNode single() throws InterruptedException {
        KindredNode node = KindredNode.start(TestNode.config()
                .storage(StorageConfig.embedded(dataDir))
                .jwt(TestCluster.jwt())
                .management(ManagementConfig.defaults().withPort(0).withApiKeys("backend=" + KEY))
                .ratePerSecond(1000)
                .rateBurst(1000)
                .build());
        running.add(node);
        return node;
    }

    private TestCluster cluster() throws InterruptedException {
        TestCluster cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()).withNodeTimeout(Duration.ofSeconds(3)),
                c -> c.storage(postgres)
                        .management(ManagementConfig.defaults().withPort(0).withApiKeys("backend=" + KEY))
                        .ratePerSecond(1000)
                        .rateBurst(1000));
        running.add(cluster);
        return cluster;
    }

    private void stopAll() throws Exception {
        clients.forEach(RawClient::close);
        clients.clear();
        for (AutoCloseable c : running) {
            c.close();
        }
        running.clear();
    }

    @Test
    void aSingleNodeRestartedOnItsDataDirectoryKeepsEveryRecord() throws Exception {
        KindredNode first = single();
        Recorded recorded = record(first.webSocketUri(), first.webSocketUri());
        makeRooms(first);
        stopAll();

        KindredNode again = single();
        assertKept(recorded, again.webSocketUri(), again.webSocketUri());
        assertRoomsKept(again.webSocketUri());
    }

    @Test
    void aClusterRestartedWithRedisEmptiedKeepsEveryRecord() throws Exception {
        postgres = Engines.postgres();
        REDIS.flushAll();
        TestCluster first = cluster();
        Recorded recorded = record(first.node(0).webSocketUri(), first.node(1).webSocketUri());
        makeRooms(first.node(1));
        stopAll();
        REDIS.flushAll(); // Redis back without its data: the database is the record

        TestCluster again = cluster();
        assertKept(recorded, again.node(1).webSocketUri(), again.node(0).webSocketUri());
        assertRoomsKept(again.node(0).webSocketUri());
    }

    @Test
    void aClusterRestoredFromADumpOfItsDatabaseKeepsSanctionsAndSchedules() throws Exception {
        postgres = Engines.postgres();
        REDIS.flushAll();
        TestCluster first = cluster();
        Recorded recorded = record(first.node(0).webSocketUri(), first.node(1).webSocketUri());
        stopAll();

        // docs/operations.md, "Backups and restore": a dump, the database lost, the dump restored, Redis empty.
        String schema = postgres.url().substring(postgres.url().indexOf("currentSchema=") + "currentSchema=".length());
        String database = "postgresql://postgres@" + Engines.PG_HOST + "/" + Engines.PG_DATABASE;
        Path dump = dataDir.resolve("kindred.dump");
        run("pg_dump", "--format=custom", "--schema=" + schema, "--file=" + dump, database);
        Engines.dropPostgres(postgres);
        run("pg_restore", "--no-owner", "--dbname=" + database, dump.toString());
        REDIS.flushAll();

        TestCluster restored = cluster();
        assertKept(recorded, restored.node(0).webSocketUri(), restored.node(1).webSocketUri());
    }

    private static final String KEY = "backend-key-long-enough-for-the-api-0123456789";

    /** A room made at run time through the server API, and another one made and archived. */
    private static void makeRooms(KindredNode node) throws Exception {
        var http = java.net.http.HttpClient.newHttpClient();
        for (String[] call : List.of(
                new String[] {
                    "/rooms", "{\"id\":\"night-owls\",\"title\":\"Night owls\",\"audience\":{\"roles\":[\"mentor\"]}}"
                },
                new String[] {"/rooms", "{\"id\":\"old-room\",\"title\":\"Old room\"}"},
                new String[] {"/rooms/old-room/archive", null})) {
            var response = http.send(
                    java.net.http.HttpRequest.newBuilder(
                                    java.net.URI.create(node.managementUri() + "/api/v1" + call[0]))
                            .header("Authorization", "Bearer " + KEY)
                            .POST(
                                    call[1] == null
                                            ? java.net.http.HttpRequest.BodyPublishers.noBody()
                                            : java.net.http.HttpRequest.BodyPublishers.ofString(call[1]))
                            .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    /** The runtime room is back with its audience (a mentor sees it, a member does not); the archived one is not. */
    private void assertRoomsKept(String ws) throws Exception {
        RawClient mentor = client(ws, "Mia", "mentor");
        mentor.send("{\"type\":\"list_rooms\",\"ref\":\"rooms\"}");
        List<String> seen = ((ServerMessage.RoomList) mentor.awaitReply("rooms"))
                .rooms().stream().map(org.kindred.protocol.RoomInfo::id).toList();
        assertThat(seen).contains("night-owls", "long-covid").doesNotContain("old-room");
        RawClient member = client(ws, "Max", "member");
        member.send("{\"type\":\"list_rooms\",\"ref\":\"rooms\"}");
        assertThat(((ServerMessage.RoomList) member.awaitReply("rooms"))
                        .rooms().stream().map(org.kindred.protocol.RoomInfo::id).toList())
                .doesNotContain("night-owls", "old-room");
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.waitFor())
                .as(String.join(" ", command) + ": " + output)
                .isZero();
    }

    record Recorded(String reportId, String alertId, String groupId) {}

    /** Moderation, a report, a crisis alert and a group, made through two nodes (or one). */
    private Recorded record(String ws, String otherWs) throws Exception {
        RawClient moderator = client(ws, "Mod", "moderator");
        RawClient troll = client(otherWs, "Troll", "member");
        RawClient kind = client(ws, "Kind", "member");
        RawClient sam = client(otherWs, "Sam", "member");
        RawClient facilitator = client(ws, "Fay", "facilitator");
        for (RawClient c : List.of(troll, kind, sam)) {
            c.send("{\"type\":\"join\",\"ref\":\"j\",\"room\":\"long-covid\"}");
            c.await(ServerMessage.Joined.class, j -> "j".equals(j.ref()));
        }
        troll.send("{\"type\":\"send\",\"ref\":\"t1\",\"room\":\"long-covid\",\"clientMsgId\":\"t1\","
                + "\"text\":\"drink bleach, it cures everything\"}");
        long seq =
                troll.await(ServerMessage.Ack.class, a -> "t1".equals(a.ref())).seq();
        kind.send("{\"type\":\"report\",\"ref\":\"r\",\"room\":\"long-covid\",\"seq\":" + seq
                + ",\"category\":\"misinformation\"}");
        String reportId = kind.await(ServerMessage.ReportReceived.class, r -> "r".equals(r.ref()))
                .reportId();

        sam.send("{\"type\":\"send\",\"ref\":\"s1\",\"room\":\"long-covid\",\"clientMsgId\":\"s1\","
                + "\"text\":\"I just want to end my life tonight\"}");
        String alertId = moderator.await(ServerMessage.Alert.class, a -> true).alertId();

        moderator.send("{\"type\":\"sanction\",\"ref\":\"x\",\"userId\":\"" + troll.userId()
                + "\",\"kind\":\"service_ban\"," + "\"reason\":\"dangerous advice\"}");
        moderator.await(ServerMessage.Sanctioned.class, s -> "x".equals(s.ref()));
        assertThat(troll.awaitClose()).isEqualTo(4102);

        facilitator.send("{\"type\":\"create_group\",\"ref\":\"g\",\"title\":\"Evening circle\","
                + "\"topic\":\"long-covid\",\"startsAt\":\"2035-01-01T18:00:00Z\",\"durationMinutes\":60}");
        String groupId = facilitator
                .await(ServerMessage.Group.class, g -> "g".equals(g.ref()))
                .group()
                .groupId();
        kind.send("{\"type\":\"register_group\",\"ref\":\"reg\",\"groupId\":\"" + groupId + "\"}");
        kind.await(ServerMessage.Group.class, g -> "reg".equals(g.ref()));
        return new Recorded(reportId, alertId, groupId);
    }

    private void assertKept(Recorded recorded, String ws, String otherWs) throws Exception {
        try (RawClient back = RawClient.connect(otherWs)) {
            back.send("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + TestCluster.token("Troll", "member") + "\"}");
            assertThat(back.awaitError("h").code()).isEqualTo("sanctioned");
        }
        RawClient moderator = client(ws, "Mod", "moderator");
        moderator.send("{\"type\":\"list_reports\",\"ref\":\"l\"}");
        List<ServerMessage.ReportInfo> reports = moderator
                .await(ServerMessage.Reports.class, r -> "l".equals(r.ref()))
                .reports();
        assertThat(reports).extracting(ServerMessage.ReportInfo::reportId).containsExactly(recorded.reportId());
        assertThat(reports.getFirst().message().text()).isEqualTo("drink bleach, it cures everything");

        moderator.send("{\"type\":\"list_alerts\",\"ref\":\"a\"}");
        assertThat(moderator
                        .await(ServerMessage.Alerts.class, a -> "a".equals(a.ref()))
                        .alerts())
                .extracting(ServerMessage.Alert::alertId)
                .containsExactly(recorded.alertId());

        moderator.send("{\"type\":\"audit_log\",\"ref\":\"log\"}");
        assertThat(moderator
                        .await(ServerMessage.AuditEntries.class, e -> "log".equals(e.ref()))
                        .entries())
                .extracting(ServerMessage.AuditEntry::action)
                .contains("sanction_applied", "report_filed");

        RawClient kind = client(otherWs, "Kind", "member");
        kind.send("{\"type\":\"list_groups\",\"ref\":\"lg\"}");
        List<ServerMessage.GroupInfo> groups = kind.await(ServerMessage.GroupList.class, g -> "lg".equals(g.ref()))
                .groups();
        assertThat(groups).extracting(ServerMessage.GroupInfo::groupId).containsExactly(recorded.groupId());
        assertThat(groups.getFirst().title()).isEqualTo("Evening circle");
        assertThat(groups.getFirst().youAreRegistered()).isTrue();
    }
}
