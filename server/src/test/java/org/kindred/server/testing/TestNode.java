package org.kindred.server.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.kindred.server.KindredNode;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.ManagementConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.identity.Role;

/** A real Kindred node on a free loopback port, with the dev sign-in, for integration tests. */
public final class TestNode implements AutoCloseable {

    private final KindredNode node;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestNode(KindredNode node) {
        this.node = node;
    }

    /**
     * Test defaults: loopback, any free port, no presence grace, a short drain, and no new-member rules (every test user
     * is brand new; the tests of those rules turn them back on), and a private in-memory database (the restart tests
     * give a data directory or PostgreSQL instead).
     */
    public static KindredConfig.Builder config() {
        return KindredConfig.builder()
                .storage(StorageConfig.inMemory())
                .host("127.0.0.1")
                .port(0)
                .management(ManagementConfig.defaults().withPort(0))
                .newMemberPeriod(Duration.ZERO)
                .presenceGrace(Duration.ZERO)
                .shutdownGrace(Duration.ofSeconds(3));
    }

    public static TestNode start() throws InterruptedException {
        return start(UnaryOperator.identity());
    }

    public static TestNode start(UnaryOperator<KindredConfig.Builder> settings) throws InterruptedException {
        return new TestNode(KindredNode.start(settings.apply(config()).build()));
    }

    /** A node on a fake clock: schedules, reminders and lobbies move when the test advances it. */
    public static TestNode start(UnaryOperator<KindredConfig.Builder> settings, FakeTime time)
            throws InterruptedException {
        return new TestNode(KindredNode.start(settings.apply(config()).build(), time.nodeTime()));
    }

    public KindredNode node() {
        return node;
    }

    public String ws() {
        return node.webSocketUri();
    }

    public URI wsUri() {
        return URI.create(node.webSocketUri());
    }

    /** A dev-sign-in token; the same pseudonym is the same user. */
    public String token(String pseudonym, Role role) {
        return node.devTokens().orElseThrow().issue(pseudonym, role);
    }

    public String token(String pseudonym) {
        return token(pseudonym, Role.MEMBER);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(node.httpUri() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A GET on the management listener ({@code /metrics}, detailed {@code /readyz}, the server API). */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(node.managementUri() + path))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(
                HttpRequest.newBuilder(URI.create(node.httpUri() + path))
                        .header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        node.close();
    }
}
