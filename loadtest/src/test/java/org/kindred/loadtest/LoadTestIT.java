package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.KindredNode;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import picocli.CommandLine;

/** The tool against a real node started in this JVM (embedded default rooms, dev sign-in, no rate limit to speak of). */
class LoadTestIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KindredNode node;

    @BeforeAll
    static void startNode() throws InterruptedException {
        node = KindredNode.start(KindredConfig.builder()
                .storage(org.kindred.server.config.StorageConfig.inMemory())
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0))
                .newMemberPeriod(java.time.Duration.ZERO)
                .ratePerSecond(10000)
                .rateBurst(10000)
                .build());
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
    }

    private record Outcome(int code, String out, String err, JsonNode json) {}

    private static Outcome run(String... args) throws Exception {
        return runOn(node, args);
    }

    private static Outcome runOn(KindredNode node, String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", node.webSocketUri(), "--json", "--no-progress"));
        CommandLine cl = Main.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(all.toArray(String[]::new));
        String text = out.toString();
        String[] lines = text.strip().split("\n");
        JsonNode json = code == 2 ? null : JSON.readTree(lines[lines.length - 1]);
        // The tool closes every connection it opened.
        await().atMost(Duration.ofSeconds(10)).until(() -> node.connectionCount() == 0);
        return new Outcome(code, text, err.toString(), json);
    }

    @Test
    void fanoutDeliversEveryMessageToEveryMemberOnceAndInOrder(@TempDir Path dir) throws Exception {
        Path html = dir.resolve("report.html");
        Outcome o = run(
                "fanout",
                "--rooms",
                "2",
                "--members",
                "4",
                "--publishers",
                "2",
                "--rate",
                "20",
                "--duration",
                "2500ms",
                "--warmup",
                "500ms",
                "--drain",
                "3s",
                "--pid",
                Long.toString(ProcessHandle.current().pid()),
                "--html",
                html.toString());
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(j.get("ok").asBoolean()).isTrue();
        long sends = j.get("sends").asLong();
        assertThat(sends).isGreaterThan(50); // 4 publishers x 20/s x 2.5 s = 200
        assertThat(j.get("acked").asLong()).isEqualTo(sends);
        assertThat(j.get("lost").asLong()).isZero();
        assertThat(j.get("duplicated").asLong()).isZero();
        assertThat(j.get("outOfOrder").asLong()).isZero();
        assertThat(j.get("deliveries").asLong()).isEqualTo(sends * 4);
        assertThat(j.get("expectedDeliveries").asLong()).isEqualTo(sends * 4);
        assertThat(j.get("connections").get("established").asInt()).isEqualTo(8);
        assertThat(j.get("latencyMs").get("count").asLong()).isPositive();
        assertThat(j.get("latencyMs").get("p99").asDouble()).isPositive();

        // The documented fields of the JSON line.
        assertThat(j.fieldNames())
                .toIterable()
                .contains(
                        "scenario",
                        "startedAt",
                        "urls",
                        "parameters",
                        "durationS",
                        "warmupS",
                        "measuredS",
                        "transport",
                        "clock",
                        "connections",
                        "connectMs",
                        "joinMs",
                        "errors",
                        "sends",
                        "acked",
                        "refused",
                        "unacked",
                        "throttled",
                        "deliveries",
                        "sendsPerSec",
                        "deliveriesPerSec",
                        "latencyMs",
                        "expectedDeliveries",
                        "lost",
                        "duplicated",
                        "outOfOrder",
                        "accounting",
                        "server",
                        "ok");
        assertThat(j.get("latencyMs").fieldNames())
                .toIterable()
                .contains("count", "p50", "p90", "p99", "p999", "max", "mean");
        assertThat(j.get("server").fieldNames())
                .toIterable()
                .contains(
                        "cpuUserMs",
                        "cpuSystemMs",
                        "cpuUserUsPerDelivery",
                        "cpuSystemUsPerDelivery",
                        "rssBeforeKb",
                        "rssAfterKb",
                        "rssPerConnectionKb");
        assertThat(j.get("scenario").asText()).isEqualTo("fanout");

        assertThat(o.out()).contains("Accounting").contains("lost 0");
        String page = Files.readString(html);
        assertThat(page)
                .contains("<svg")
                .contains("End-to-end latency")
                .doesNotContain("<script")
                .doesNotContain("http://cdn")
                .doesNotContain("https://");
    }

    @Test
    void churnResumesWithoutLossDuplicatesOrReordering() throws Exception {
        Outcome o = run(
                "churn",
                "--members",
                "3",
                "--churners",
                "4",
                "--rate",
                "8",
                "--publish-rate",
                "20",
                "--offline",
                "150ms",
                "--duration",
                "2500ms",
                "--warmup",
                "0s",
                "--drain",
                "3s");
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        JsonNode churn = j.get("churn");
        assertThat(churn.get("events").asLong()).isPositive();
        assertThat(churn.get("resumes").asLong()).isPositive();
        assertThat(churn.get("resumesNotRecovered").asLong()).isZero();
        assertThat(churn.get("resumedLost").asLong()).isZero();
        assertThat(churn.get("resumedDuplicated").asLong()).isZero();
        assertThat(churn.get("resumedOutOfOrder").asLong()).isZero();
        assertThat(j.get("lost").asLong()).isZero();
    }

    @Test
    void idleReportsConnectTimesAndServerMemory() throws Exception {
        Outcome o = run(
                "idle",
                "--connections",
                "40",
                "--duration",
                "1s",
                "--warmup",
                "0s",
                "--source-ips",
                "2",
                "--pid",
                Long.toString(ProcessHandle.current().pid()));
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(j.get("connections").get("established").asInt()).isEqualTo(40);
        assertThat(j.get("connectMs").get("count").asInt()).isEqualTo(40);
        assertThat(j.get("openAtEnd").asInt()).isEqualTo(40);
        assertThat(j.get("server").has("rssPerConnectionKb")).isTrue();
    }

    @Test
    void aJoinStormReportsMemoryPerConnectionAtEachAskedMomentAfterTheLastJoin() throws Exception {
        Outcome o = run(
                "idle",
                "--connections",
                "30",
                "--connect-rate",
                "100000",
                "--duration",
                "3s",
                "--warmup",
                "0s",
                "--rss-at",
                "1s,2s",
                "--pid",
                Long.toString(ProcessHandle.current().pid()));
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(j.get("connectPhaseS").asDouble()).isPositive();
        assertThat(j.get("rssAt").get("1000ms").get("rssKb").asLong()).isPositive();
        assertThat(j.get("rssAt").get("2000ms").get("rssKb").asLong()).isPositive();
        assertThat(j.get("rssAt").get("2000ms").has("perConnectionKb")).isTrue();
    }

    @Test
    void memoryMomentsAreRefusedWithoutAServerPidOrBeyondTheRun() throws Exception {
        Outcome noPid = run("idle", "--connections", "2", "--duration", "3s", "--rss-at", "1s");
        assertThat(noPid.code()).isEqualTo(2);
        assertThat(noPid.err()).contains("--rss-at: needs --pid");
        Outcome late = run(
                "idle",
                "--connections",
                "2",
                "--duration",
                "3s",
                "--rss-at",
                "5s",
                "--pid",
                Long.toString(ProcessHandle.current().pid()));
        assertThat(late.code()).isEqualTo(2);
        assertThat(late.err()).contains("--rss-at 5000 ms: from 0 to below --duration");
    }

    @Test
    void rampStepsUpAndReportsTheHighestSustainedRate() throws Exception {
        Outcome o = run(
                "ramp",
                "--members",
                "3",
                "--start",
                "20",
                "--step",
                "20",
                // Steps long enough that a busy machine's pauses do not make 20 msg/s look unreachable.
                "--step-duration",
                "3s",
                "--max-steps",
                "2",
                "--step-drain",
                "2s",
                "--max-p99",
                "5s",
                "--duration",
                "30s"); // a bound only: the ramp ends after its two steps
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(j.get("steps")).hasSize(2);
        assertThat(j.get("steps").get(1).get("sustained").asBoolean())
                .as(j.get("steps").toString())
                .isTrue();
        assertThat(j.get("maxSustainableDeliveriesPerSec").asDouble()).isGreaterThan(60);
        assertThat(j.get("lost").asLong()).isZero();
    }

    @Test
    void roomsScenarioOnNamedRooms() throws Exception {
        Outcome o = run(
                "rooms",
                "--room",
                "diabetes,anxiety",
                "--rooms",
                "2",
                "--members-per-room",
                "3",
                "--interval",
                "200ms",
                "--duration",
                "2s",
                "--warmup",
                "0s");
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(o.json().get("lost").asLong()).isZero();
        assertThat(o.json().get("deliveries").asLong())
                .isEqualTo(o.json().get("sends").asLong() * 3);
    }

    @Test
    void supportMatchesEverySessionAndDeliversInsideIt() throws Exception {
        Outcome o = run(
                "support",
                "--sessions",
                "5",
                "--interval",
                "200ms",
                "--duration",
                "2500ms",
                "--warmup",
                "500ms",
                "--drain",
                "3s");
        JsonNode j = o.json();
        assertThat(o.code()).as(o.out() + o.err()).isZero();
        assertThat(j.get("ok").asBoolean()).isTrue();
        JsonNode support = j.get("support");
        assertThat(support.get("mentorsAvailable").asInt()).isEqualTo(5);
        assertThat(support.get("requested").asInt()).isEqualTo(5);
        assertThat(support.get("started").asInt()).as(o.out()).isEqualTo(5);
        assertThat(support.get("startedForMentors").asInt()).isEqualTo(5);
        assertThat(support.get("failed").asInt()).isZero();
        assertThat(support.get("sessionJoins").asInt()).isEqualTo(10);
        assertThat(support.get("ended").asInt()).isEqualTo(5);
        assertThat(support.get("matchMs").get("count").asInt()).isEqualTo(5);
        assertThat(support.get("matchMs").get("max").asDouble()).isPositive();
        // Where the time to match goes: each request's reply, its offer, and the offer's session.
        assertThat(support.get("queuedReplyMs").get("count").asInt()).isEqualTo(5);
        assertThat(support.get("requestToOfferMs").get("count").asInt()).isEqualTo(5);
        assertThat(support.get("offerToStartedMs").get("count").asInt()).isEqualTo(5);
        // Both sides post and both receive every message of their session: 2 deliveries per send.
        long sends = j.get("sends").asLong();
        assertThat(sends).isGreaterThan(20); // 10 participants x 5/s x ~2 s
        assertThat(j.get("acked").asLong()).isEqualTo(sends);
        assertThat(j.get("expectedDeliveries").asLong()).isPositive();
        assertThat(j.get("lost").asLong()).isZero();
        assertThat(j.get("duplicated").asLong()).isZero();
        assertThat(j.get("outOfOrder").asLong()).isZero();
        assertThat(j.get("latencyMs").get("count").asLong()).isPositive();
        assertThat(o.out()).contains("sessions started");
    }

    @Test
    void supportNeedsAMentorPerSession() throws Exception {
        Outcome o = run("support", "--sessions", "3", "--mentors", "2", "--duration", "1s", "--warmup", "0s");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("--mentors");
    }

    @Test
    void unknownRoomsAreRefusedBeforeAnyLoad() throws Exception {
        Outcome o = run("rooms", "--rooms", "3", "--duration", "1s", "--warmup", "0s");
        assertThat(o.code()).isEqualTo(2);
        assertThat(o.err()).contains("do not exist").contains("rooms-1000.yaml");
        Outcome ro = run("fanout", "--room", "welcome", "--members", "2", "--duration", "1s", "--warmup", "0s");
        assertThat(ro.code()).isEqualTo(2);
        assertThat(ro.err()).contains("may not post");
    }

    @Test
    void joinsRefusedForAPassingReasonAreRetriedUntilTheyPass() throws Exception {
        // One command per second, and hello takes it: every first join is refused with rate_limited (retryable).
        try (KindredNode strict = KindredNode.start(KindredConfig.builder()
                .storage(org.kindred.server.config.StorageConfig.inMemory())
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0))
                .newMemberPeriod(Duration.ZERO)
                .ratePerSecond(1)
                .rateBurst(1)
                .build())) {
            Outcome o = runOn(strict, "idle", "--connections", "3", "--duration", "1s", "--warmup", "0s");
            JsonNode j = o.json();
            assertThat(o.code()).as(o.out() + o.err()).isZero();
            assertThat(j.get("connectedAndJoined").asInt()).isEqualTo(3);
            assertThat(j.get("joinRetries").asLong()).isGreaterThanOrEqualTo(3);
            assertThat(j.get("errors").get("rate_limited").asLong()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void aRunInWhichEverySendIsRefusedFailsAndNamesTheRefusal() throws Exception {
        // New-member rules on (the default): the tool's payloads read as contact details, so no send is posted.
        try (KindredNode strict = KindredNode.start(KindredConfig.builder()
                .storage(org.kindred.server.config.StorageConfig.inMemory())
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0))
                .ratePerSecond(10000)
                .rateBurst(10000)
                .build())) {
            Outcome o = runOn(
                    strict,
                    "fanout",
                    "--members",
                    "2",
                    "--rate",
                    "20",
                    "--duration",
                    "1s",
                    "--warmup",
                    "0s",
                    "--drain",
                    "1s");
            JsonNode j = o.json();
            assertThat(o.code()).as(o.out() + o.err()).isEqualTo(1);
            assertThat(j.get("ok").asBoolean()).isFalse();
            assertThat(j.get("acked").asLong()).isZero();
            long sends = j.get("sends").asLong();
            assertThat(sends).isPositive();
            // A new member may post two commands a second: the rest are refused as rate_limited.
            JsonNode refusals = j.get("refusals");
            assertThat(refusals.get("forbidden").asLong()).isPositive();
            assertThat(refusals.get("forbidden").asLong()
                            + refusals.path("rate_limited").asLong())
                    .isEqualTo(sends);
            assertThat(o.out())
                    .contains("FAILED: nothing was acknowledged: " + sends + " sends, " + sends + " refused {forbidden="
                            + refusals.get("forbidden").asLong())
                    .contains("PROBLEMS");
        }
    }
}
