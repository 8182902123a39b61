package org.kindred.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.server.config.ConfigLoader;
import org.kindred.server.config.KindredConfig;

/**
 * The Helm chart, linted and rendered by Helm itself (its Go code, through helm-java): what Kubernetes would be
 * given, checked against what the server needs — probes, a drain that finishes before SIGKILL, a configuration and
 * environment the server's loader accepts.
 */
class HelmChartTest {

    private static final String KUBE_VERSION = "1.31.0";

    @TempDir
    Path dir;

    private static TemplateCommand template() {
        return new Helm(DeployFiles.CHART).template().withName("kindred").withKubeVersion(KUBE_VERSION);
    }

    private static List<JsonNode> render(TemplateCommand command) {
        return DeployFiles.yamlDocuments(command.call());
    }

    private static JsonNode only(List<JsonNode> objects, String kind) {
        List<JsonNode> found = objects.stream()
                .filter(o -> o.path("kind").asText().equals(kind))
                .toList();
        assertThat(found).as(kind).hasSize(1);
        return found.get(0);
    }

    @Test
    void theChartPassesHelmLintStrictly() {
        LintResult result = new Helm(DeployFiles.CHART).lint().strict().call();
        assertThat(result.isFailed())
                .as(String.join("\n", result.getMessages()))
                .isFalse();
        assertThat(result.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    }

    @Test
    void theDefaultReleaseIsOneLockedDownNodeWithProbesAndADrainThatEndsBeforeTheKill() throws Exception {
        List<JsonNode> objects = render(template());
        assertThat(objects)
                .extracting(o -> o.path("kind").asText())
                .containsExactlyInAnyOrder(
                        "ServiceAccount", "ConfigMap", "Service", "Deployment", "PodDisruptionBudget");

        JsonNode pod = only(objects, "Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("startupProbe").path("httpGet").path("path").asText())
                .isEqualTo("/healthz");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText())
                .isEqualTo("/readyz");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(8080);

        // Non-root, read-only root filesystem, nothing but /tmp writable; no service links (KINDRED_PORT=tcp://...).
        assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.path("securityContext").path("runAsUser").asInt()).isEqualTo(65532);
        assertThat(container
                        .path("securityContext")
                        .path("readOnlyRootFilesystem")
                        .asBoolean())
                .isTrue();
        assertThat(container
                        .path("securityContext")
                        .path("allowPrivilegeEscalation")
                        .asBoolean())
                .isFalse();
        assertThat(container
                        .path("securityContext")
                        .path("capabilities")
                        .path("drop")
                        .get(0)
                        .asText())
                .isEqualTo("ALL");
        assertThat(pod.path("enableServiceLinks").asBoolean(true)).isFalse();
        assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).isFalse();
        assertThat(StreamSupport.stream(container.path("volumeMounts").spliterator(), false)
                        .map(m -> m.path("mountPath").asText()))
                .as("the configuration, the JVM's temporary files and the embedded database's directory")
                .containsExactlyInAnyOrder("/etc/kindred/kindred.yaml", "/tmp", "/data");

        // The configuration the pod mounts is one the server accepts, and the pod outlives its drain.
        KindredConfig config = loadRenderedConfig(objects, Map.of());
        long grace = pod.path("terminationGracePeriodSeconds").asLong();
        long preStop = container
                .path("lifecycle")
                .path("preStop")
                .path("sleep")
                .path("seconds")
                .asLong();
        assertThat(grace).isGreaterThan(config.shutdownGrace().toSeconds() + preStop);
        assertThat(config.port()).isEqualTo(8080);
        assertThat(config.host()).isEqualTo("0.0.0.0");
        // Prometheus scrapes the management port of each pod; the Service carries only the chat port.
        assertThat(config.management().port()).isEqualTo(8089);
        assertThat(config.management().host()).isEqualTo("0.0.0.0");
        assertThat(only(objects, "Deployment")
                        .path("spec")
                        .path("template")
                        .path("metadata")
                        .path("annotations")
                        .path("prometheus.io/port")
                        .asText())
                .isEqualTo("8089");

        JsonNode pdb = only(objects, "PodDisruptionBudget").path("spec");
        assertThat(pdb.path("maxUnavailable").asInt()).isEqualTo(1);
        assertThat(pdb.path("selector").path("matchLabels"))
                .isEqualTo(only(objects, "Deployment")
                        .path("spec")
                        .path("selector")
                        .path("matchLabels"));
        JsonNode service = only(objects, "Service").path("spec");
        assertThat(service.path("ports").get(0).path("targetPort").asText()).isEqualTo("http");
        assertThat(service.path("ports").size()).isEqualTo(1);
    }

    @Test
    void aClusterOfNodesTakesRedisAndTheJwtSecretFromSecretsAndTheServerAcceptsItsEnvironment() throws Exception {
        List<JsonNode> objects = render(template()
                .set("replicaCount", 3)
                .set("redis.existingSecret", "kindred-redis")
                .set("postgresql.existingSecret", "kindred-db")
                .set("postgresql.passwordKey", "password")
                .set("userIds.existingSecret", "kindred-user-ids")
                .set("jwt.existingSecret", "kindred-jwt")
                .set("config.jwt.issuer", "https://id.example.org")
                .set("config.jwt.anyIssuerAndAudience", true)
                .set("config.allowedOrigins[0]", "https://app.example.org")
                .set("drainSeconds", 30));
        JsonNode deployment = only(objects, "Deployment");
        assertThat(deployment.path("spec").path("replicas").asInt()).isEqualTo(3);
        JsonNode env = deployment
                .path("spec")
                .path("template")
                .path("spec")
                .path("containers")
                .get(0)
                .path("env");

        // What the kubelet would put in the environment, with stand-ins for the secrets' values.
        Map<String, String> environment = new HashMap<>();
        for (JsonNode variable : env) {
            String name = variable.path("name").asText();
            JsonNode from = variable.path("valueFrom");
            String value = variable.has("value")
                    ? variable.path("value").asText()
                    : switch (name) {
                        case "KINDRED_REDIS_URL" -> {
                            assertThat(from.path("secretKeyRef").path("name").asText())
                                    .isEqualTo("kindred-redis");
                            yield "redis://:secret@redis.data:6379";
                        }
                        case "KINDRED_JWT_SECRET" -> {
                            assertThat(from.path("secretKeyRef").path("name").asText())
                                    .isEqualTo("kindred-jwt");
                            yield "a-shared-hs256-secret-of-32-bytes-or-more";
                        }
                        case "KINDRED_USER_ID_SECRET" -> {
                            assertThat(from.path("secretKeyRef").path("name").asText())
                                    .isEqualTo("kindred-user-ids");
                            yield "a-user-id-key-of-32-bytes-or-more-for-every-node";
                        }
                        case "KINDRED_STORAGE_URL" -> {
                            assertThat(from.path("secretKeyRef").path("name").asText())
                                    .isEqualTo("kindred-db");
                            yield "jdbc:postgresql://db.data:5432/kindred";
                        }
                        case "KINDRED_STORAGE_PASSWORD" -> {
                            assertThat(from.path("secretKeyRef").path("key").asText())
                                    .isEqualTo("password");
                            yield "db-secret";
                        }
                        case "KINDRED_NODE_ID" -> {
                            assertThat(from.path("fieldRef").path("fieldPath").asText())
                                    .isEqualTo("metadata.name");
                            yield "kindred-7d9f8-abcde";
                        }
                        default -> throw new AssertionError("unexpected variable from a reference: " + name);
                    };
            environment.put(name, value);
        }
        KindredConfig config = loadRenderedConfig(objects, environment);
        assertThat(config.devSignIn()).isFalse();
        assertThat(config.jwt().issuer()).isEqualTo("https://id.example.org");
        assertThat(config.jwt().audience())
                .as("an empty audience in values is left out")
                .isNull();
        assertThat(config.allowedOrigins()).containsExactly("https://app.example.org");
        assertThat(config.storage().url()).isEqualTo("jdbc:postgresql://db.data:5432/kindred");
        assertThat(config.userIdSecret()).isPresent();
        assertThat(config.redis())
                .hasValueSatisfying(redis -> assertThat(redis.nodeId()).isEqualTo("kindred-7d9f8-abcde"));
        assertThat(deployment
                        .path("spec")
                        .path("template")
                        .path("spec")
                        .path("terminationGracePeriodSeconds")
                        .asLong())
                .isGreaterThan(config.shutdownGrace().toSeconds() + 5);
    }

    @Test
    void severalNodesWithoutASharedRedisAreRefused() {
        assertThatThrownBy(() -> template().set("replicaCount", 2).call())
                .hasMessageContaining("replicaCount > 1 needs a shared Redis");
    }

    @Test
    void severalNodesWithoutPostgresqlAreRefused() {
        assertThatThrownBy(() -> template()
                        .set("replicaCount", 2)
                        .set("redis.url", "redis://redis:6379")
                        .call())
                .hasMessageContaining("replicaCount > 1 needs PostgreSQL");
    }

    @Test
    void nodesSharingRedisWithoutTheKeyOfTheUserIdsAreRefused() {
        assertThatThrownBy(() -> template()
                        .set("replicaCount", 2)
                        .set("redis.url", "redis://redis:6379")
                        .set("postgresql.existingSecret", "kindred-db")
                        .call())
                .hasMessageContaining("set userIds.existingSecret");
    }

    @Test
    void withPersistenceTheEmbeddedDatabaseLivesOnAClaimThatOutlivesTheRelease() {
        List<JsonNode> objects =
                render(template().set("persistence.enabled", true).set("persistence.size", "5Gi"));
        JsonNode claim = only(objects, "PersistentVolumeClaim");
        assertThat(claim.path("metadata")
                        .path("annotations")
                        .path("helm.sh/resource-policy")
                        .asText())
                .isEqualTo("keep");
        assertThat(claim.path("spec")
                        .path("resources")
                        .path("requests")
                        .path("storage")
                        .asText())
                .isEqualTo("5Gi");
        JsonNode deployment = only(objects, "Deployment");
        assertThat(deployment.path("spec").path("strategy").path("type").asText())
                .isEqualTo("Recreate");
        JsonNode pod = deployment.path("spec").path("template").path("spec");
        assertThat(pod.path("volumes").toString())
                .contains(claim.path("metadata").path("name").asText());
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("volumeMounts").findValuesAsText("mountPath")).contains("/data");
        assertThat(container.path("env").toString())
                .contains("KINDRED_DATA_DIR")
                .contains("/data");

        List<JsonNode> ephemeral = render(template());
        assertThat(ephemeral.stream().map(o -> o.path("kind").asText())).doesNotContain("PersistentVolumeClaim");
        assertThat(only(ephemeral, "Deployment").toString()).contains("\"emptyDir\":{}");
    }

    @Test
    void anRs256PublicKeyIsMountedFromItsSecretAndNamedToTheServer() {
        List<JsonNode> objects = render(template().set("jwt.publicKeySecret", "issuer-key"));
        JsonNode pod = only(objects, "Deployment").path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        assertThat(container.path("env").findValuesAsText("name")).contains("KINDRED_JWT_PUBLIC_KEY_FILE");
        assertThat(container.path("env").toString()).contains("/etc/kindred/jwt/public.pem");
        assertThat(pod.path("volumes").toString()).contains("\"secretName\":\"issuer-key\"");
    }

    /** The ConfigMap's kindred.yaml, as the pod mounts it, through the server's own loader. */
    private KindredConfig loadRenderedConfig(List<JsonNode> objects, Map<String, String> environment) throws Exception {
        String yaml =
                only(objects, "ConfigMap").path("data").path("kindred.yaml").asText();
        Path file = Files.writeString(dir.resolve("kindred.yaml"), yaml);
        Map<String, String> env = new HashMap<>(environment);
        assertThat(env.remove(ConfigLoader.CONFIG_FILE_VARIABLE)).isIn(null, "/etc/kindred/kindred.yaml");
        return ConfigLoader.load(file, env);
    }
}
