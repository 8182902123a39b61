package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

class KindredClientBuilderTest {

    private static final URI URL = URI.create("ws://127.0.0.1:1/ws");

    @Test
    void rejectsAnEmptyUrlList() {
        assertThatThrownBy(
                        () -> KindredClient.builder().urls(List.of()).token("t").build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("urls: [] (expected: at least one)");
        assertThatThrownBy(() -> KindredClient.builder().token("t").build())
                .hasMessage("urls: [] (expected: at least one)");
    }

    @Test
    void rejectsAUrlThatIsNotAWebSocketUrl() {
        assertThatThrownBy(() -> KindredClient.builder()
                        .urls(List.of(URL, URI.create("http://127.0.0.1/ws")))
                        .token("t")
                        .build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("url: http://127.0.0.1/ws (expected: a ws:// or wss:// URL)");
    }

    @Test
    void rejectsALanguageThatIsNotABcp47Tag() {
        assertThatThrownBy(() -> KindredClient.builder().url(URL).token("t").language("french"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("language: 'french' (expected: a BCP 47 language tag such as fr or fr-CA)");
    }

    @Test
    void rejectsAMissingToken() {
        assertThatThrownBy(() -> KindredClient.builder().url(URL).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("token: none (expected: token(String) or tokenSupplier(Supplier))");
    }

    @Test
    void rejectsDurationsAndCountsOutOfRange() {
        assertThatThrownBy(() -> KindredClient.builder()
                        .url(URL)
                        .token("t")
                        .pingInterval(Duration.ZERO)
                        .build())
                .hasMessage("pingInterval: PT0S (expected: > 0)");
        assertThatThrownBy(() -> KindredClient.builder()
                        .url(URL)
                        .token("t")
                        .requestTimeout(Duration.ofSeconds(-1))
                        .build())
                .hasMessage("requestTimeout: PT-1S (expected: > 0)");
        assertThatThrownBy(() -> KindredClient.builder()
                        .url(URL)
                        .token("t")
                        .maxSendAttempts(0)
                        .build())
                .hasMessage("maxSendAttempts: 0 (expected: >= 1)");
    }

    @Test
    void rejectsNullsWhereTheyAreSet() {
        assertThatThrownBy(() -> KindredClient.builder().url(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("url");
        assertThatThrownBy(() -> KindredClient.builder().listener(null)).hasMessage("listener");
        assertThatThrownBy(() -> KindredClient.builder().token(null)).hasMessage("token");
    }

    @Test
    void failsCommandsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.join("diabetes").get())
                    .isInstanceOf(ExecutionException.class)
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThatThrownBy(() -> client.send("diabetes", "hi").get())
                    .cause()
                    .isInstanceOf(KindredException.class);
        }
    }

    @Test
    void rejectsInvalidArgumentsOnTheCallingThread() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.send("diabetes", " "))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'text' must not be blank");
            assertThatThrownBy(() -> client.join("")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.send("diabetes", "x".repeat(65), "hi"))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void failsCommandsAfterClose() {
        KindredClient client = KindredClient.builder().url(URL).token("t").build();
        client.close();
        client.close();

        assertThatThrownBy(() -> client.connect().get())
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.code()).isEqualTo(KindredException.CLIENT_CLOSED));
    }

    @Test
    void failsConnectWhenNoUrlCanBeReached() throws Exception {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.connect().get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.CONNECT_FAILED));
        }
    }
}
