package org.kindred.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kindred.server.KindredNode;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.config.WebhookConfig;

/**
 * The alert rules and the dashboard watch what a node really exports: every metric they name is in a real node's
 * {@code /metrics}, every alert has its runbook entry, and Prometheus' own {@code promtool} accepts and unit-tests the
 * rules. The node sends webhooks to a receiver here, so that the webhook series the alerts read are there too, and runs
 * in cluster mode on a Redis started here, so that the Redis series are too ({@code kindred_redis_up} exists only
 * there).
 */
class ObservabilityIT {

    /** Series Prometheus makes itself for every target; no server exports them. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");

    /** A metric name in PromQL: the families a node exports, with a histogram's or a counter's suffix. */
    private static final Pattern METRIC =
            Pattern.compile("\\b((?:kindred|jvm|process|system)_[a-z0-9_]+|up)\\b(?!\\s*[=~!(])");

    private static LocalRedis redis;
    private static HttpServer webhookReceiver;
    private static KindredNode node;
    private static String exposition;
    private static Set<String> exported;

    @BeforeAll
    static void scrapeARealNode() throws Exception {
        redis = LocalRedis.start();
        webhookReceiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhookReceiver.createContext("/hooks", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        webhookReceiver.start();
        URI hooks =
                URI.create("http://127.0.0.1:" + webhookReceiver.getAddress().getPort() + "/hooks");
        node = KindredNode.start(KindredConfig.builder()
                .storage(org.kindred.server.config.StorageConfig.inMemory())
                .redis(RedisConfig.standalone(redis.uri()))
                .userIdSecret("observability-test-user-id-secret-0123456789")
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0))
                .webhooks(new WebhookConfig(
                        List.of(new WebhookConfig.Endpoint("backend", hooks)),
                        "whsec_" + Base64.getEncoder().encodeToString(new byte[32]),
                        Optional.empty(),
                        WebhookConfig.DEFAULT_QUEUE_SIZE))
                .build());
        HttpResponse<String> response;
        try (HttpClient http = HttpClient.newHttpClient()) {
            response = http.send(
                    HttpRequest.newBuilder(URI.create(node.managementUri() + "/metrics"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        assertThat(response.statusCode()).isEqualTo(200);
        exposition = response.body();
        exported = exposition
                .lines()
                .filter(line -> !line.startsWith("#") && !line.isBlank())
                .map(line -> line.split("[{ ]", 2)[0])
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @AfterAll
    static void stopNode() {
        if (node != null) {
            node.close();
        }
        if (webhookReceiver != null) {
            webhookReceiver.stop(0);
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void theNodeExportsItsBuild() {
        assertThat(exported).contains("kindred_build_info", "process_files_open_files", "process_files_max_files");
    }

    @Test
    void theNodeExportsItsReadinessAndItsRedis() {
        assertThat(exposition).contains("kindred_ready 1.0", "kindred_redis_up 1.0");
    }

    @Test
    void theWebhookCountsTheAlertsReadStartAtZero() {
        // increase() sees no first event on a series that appears with it: a first dead letter would not page.
        assertThat(exposition)
                .contains(
                        "kindred_webhook_deliveries_total{endpoint=\"backend\"} 0.0",
                        "kindred_webhook_failures_total{endpoint=\"backend\"} 0.0",
                        "kindred_webhook_dead_letters_total{endpoint=\"backend\"} 0.0",
                        "kindred_webhook_oldest_queued_seconds{endpoint=\"backend\"} 0.0",
                        "kindred_webhook_queue_capacity{endpoint=\"backend\"} 10000.0");
        for (String type : List.of(
                "support.waiting_no_mentor",
                "support.offer_to_offline_mentor",
                "session.started",
                "session.ended",
                "group.reminder")) {
            assertThat(exposition)
                    .contains("kindred_webhook_claims_total{outcome=\"unclaimed\",type=\"" + type + "\"} 0.0");
        }
    }

    @Test
    void everyMetricTheAlertRulesNameIsExported() {
        List<String> expressions = new ArrayList<>();
        for (JsonNode group : DeployFiles.yaml(DeployFiles.ALERT_RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                expressions.add(rule.path("expr").asText());
            }
        }
        assertThat(expressions).hasSizeGreaterThan(10);
        assertEveryMetricIsExported(expressions);
    }

    @Test
    void everyMetricTheDashboardNamesIsExported() {
        JsonNode dashboard = DeployFiles.yaml(DeployFiles.DASHBOARD);
        List<String> expressions = new ArrayList<>(dashboard.findValuesAsText("expr"));
        expressions.add(dashboard
                .path("templating")
                .path("list")
                .get(1)
                .path("definition")
                .asText());
        assertThat(expressions).hasSizeGreaterThan(20);
        assertEveryMetricIsExported(expressions);
        assertThat(dashboard.path("uid").asText()).isEqualTo("kindred-overview");
        for (JsonNode panel : dashboard.path("panels")) {
            if (!panel.path("type").asText().equals("row")) {
                assertThat(panel.path("datasource").path("uid").asText())
                        .as(panel.path("title").asText())
                        .isEqualTo("${datasource}");
            }
        }
    }

    @Test
    void everyAlertHasItsRunbookEntry() throws IOException {
        String runbook = Files.readString(DeployFiles.OPERATIONS_DOC);
        for (JsonNode group : DeployFiles.yaml(DeployFiles.ALERT_RULES).path("groups")) {
            for (JsonNode rule : group.path("rules")) {
                String alert = rule.path("alert").asText();
                assertThat(runbook)
                        .as("docs/operations.md has a section for " + alert)
                        .contains("### " + alert + "\n");
                assertThat(rule.path("annotations").path("runbook").asText())
                        .isEqualTo("docs/operations.md#" + alert.toLowerCase(java.util.Locale.ROOT));
            }
        }
    }

    @Test
    void promtoolAcceptsAndUnitTestsTheRules() throws Exception {
        boolean available = Files.isExecutable(Path.of("/usr/bin/promtool"))
                || System.getenv("PATH") != null
                        && java.util.Arrays.stream(System.getenv("PATH").split(":"))
                                .anyMatch(d -> Files.isExecutable(Path.of(d, "promtool")));
        // CI installs it (.ci/run); elsewhere it is optional, and the checks above still run.
        assumeTrue(
                available || "true".equals(System.getenv("CI")),
                "promtool is not installed (apt-get install prometheus)");
        run("promtool", "check", "rules", DeployFiles.ALERT_RULES.toString());
        run("promtool", "test", "rules", DeployFiles.ALERT_RULE_TESTS.toString());
    }

    private static void run(String... command) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(process.exitValue())
                .as(String.join(" ", command) + "\n" + output)
                .isZero();
    }

    private static void assertEveryMetricIsExported(List<String> expressions) {
        Set<String> named = new TreeSet<>();
        for (String expression : expressions) {
            Matcher m = METRIC.matcher(expression);
            boolean any = false;
            while (m.find()) {
                named.add(m.group(1));
                any = true;
            }
            assertThat(any).as("names a metric: " + expression).isTrue();
        }
        named.removeAll(PROMETHEUS_OWN);
        assertThat(exported).containsAll(named);
    }
}
