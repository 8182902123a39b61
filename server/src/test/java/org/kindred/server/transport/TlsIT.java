package org.kindred.server.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.DecodeException;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.TlsConfig;
import org.kindred.server.testing.TestNode;

/** A node configured with a PEM certificate and key serves WebSockets and HTTP over TLS, and only over TLS. */
class TlsIT {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    static Path dir;

    private static X509Bundle certificate;
    private static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        Instant now = Instant.now();
        certificate = new CertificateBuilder()
                .subject("CN=localhost")
                .addSanDnsName("localhost")
                .addSanIpAddress("127.0.0.1")
                .notBefore(now.minus(1, ChronoUnit.DAYS))
                .notAfter(now.plus(1, ChronoUnit.DAYS))
                .ecp256()
                // Self-signed: the certificate is its own root, which the client trusts directly.
                .setIsCertificateAuthority(true)
                .setKeyUsage(
                        true, CertificateBuilder.KeyUsage.digitalSignature, CertificateBuilder.KeyUsage.keyCertSign)
                .addExtendedKeyUsageServerAuth()
                .buildSelfSigned();
        Path cert = Files.writeString(dir.resolve("server.crt"), certificate.getCertificatePEM());
        Path key = Files.writeString(dir.resolve("server.key"), certificate.getPrivateKeyPEM());
        node = TestNode.start(c -> c.tls(new TlsConfig(cert, key)));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** An HTTP client that trusts exactly the node's self-signed certificate. */
    private static HttpClient trustingClient() throws Exception {
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, certificate.toTrustManagerFactory().getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(ssl).connectTimeout(WAIT).build();
    }

    private static URI uri(String scheme, String path) {
        return URI.create(scheme + "://localhost:" + node.node().port() + path);
    }

    @Test
    void theNodeAdvertisesSecureAddresses() {
        assertThat(node.node().webSocketUri()).startsWith("wss://");
        assertThat(node.node().httpUri()).startsWith("https://");
    }

    @Test
    void welcomesAHelloOverASecureWebSocket() throws Exception {
        CompletableFuture<String> firstText = new CompletableFuture<>();
        WebSocket socket = trustingClient()
                .newWebSocketBuilder()
                .buildAsync(uri("wss", "/ws"), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last) {
                            firstText.complete(partial.toString());
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        firstText.completeExceptionally(error);
                    }
                })
                .get(WAIT.toSeconds(), TimeUnit.SECONDS);
        try {
            socket.sendText("{\"type\":\"hello\",\"ref\":\"h\",\"token\":\"" + node.token("Robin") + "\"}", true)
                    .get(WAIT.toSeconds(), TimeUnit.SECONDS);

            ServerMessage answer = decode(firstText.get(WAIT.toSeconds(), TimeUnit.SECONDS));

            assertThat(answer).isInstanceOf(ServerMessage.Welcome.class);
            ServerMessage.Welcome welcome = (ServerMessage.Welcome) answer;
            assertThat(welcome.ref()).isEqualTo("h");
            assertThat(welcome.user().pseudonym()).isEqualTo("Robin");
        } finally {
            socket.abort();
        }
    }

    @Test
    void servesHealthzOverHttps() throws Exception {
        HttpResponse<String> response = trustingClient()
                .send(
                        HttpRequest.newBuilder(uri("https", "/healthz"))
                                .timeout(WAIT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("ok");
    }

    @Test
    void refusesAClientThatDoesNotTrustTheCertificate() {
        HttpClient untrusting = HttpClient.newBuilder().connectTimeout(WAIT).build();

        assertThatThrownBy(() -> untrusting.send(
                        HttpRequest.newBuilder(uri("https", "/healthz"))
                                .timeout(WAIT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
    }

    @Test
    void refusesAPlainWebSocketOnTheTlsPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();

        assertThatThrownBy(() -> plain.newWebSocketBuilder()
                        .connectTimeout(WAIT)
                        .buildAsync(uri("ws", "/ws"), new WebSocket.Listener() {})
                        .get(WAIT.toSeconds() * 2, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
    }

    @Test
    void refusesPlainHttpOnTheTlsPort() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(WAIT).build();

        assertThatThrownBy(() -> plain.send(
                        HttpRequest.newBuilder(uri("http", "/healthz"))
                                .timeout(WAIT)
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }

    private static ServerMessage decode(String json) {
        try {
            return new WireCodec().decodeServer(json);
        } catch (DecodeException e) {
            throw new AssertionError("server sent an undecodable frame: " + json, e);
        }
    }
}
