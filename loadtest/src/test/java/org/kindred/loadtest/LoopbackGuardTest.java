package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class LoopbackGuardTest {

    @Test
    void refusesAPrivateNetworkAddress() {
        assertThatThrownBy(() -> LoopbackGuard.checkUrl("ws://10.0.0.1/ws"))
                .isInstanceOf(LoopbackGuard.NotLoopbackException.class)
                .hasMessageContaining("loopback");
    }

    @Test
    void refusesHostNamesAndLookAlikes() {
        for (String url : new String[] {
            "ws://example.com/ws",
            "ws://127.0.0.1.nip.io/ws",
            "ws://[2001:db8::1]/ws",
            "ws://0.0.0.0:8080/ws",
            "ws://128.0.0.1/ws",
            "ws://127.0.0.300/ws"
        }) {
            assertThatThrownBy(() -> LoopbackGuard.checkUrl(url))
                    .as(url)
                    .isInstanceOf(LoopbackGuard.NotLoopbackException.class);
        }
        assertThatThrownBy(() -> LoopbackGuard.checkUrl("wss://127.0.0.1/ws")).hasMessageContaining("ws://");
        assertThatThrownBy(() -> LoopbackGuard.checkSourceAddress("192.168.1.2"))
                .isInstanceOf(LoopbackGuard.NotLoopbackException.class);
    }

    @Test
    void acceptsLoopback() {
        assertThat(LoopbackGuard.checkUrl("ws://127.0.0.1:8080/ws").getPort()).isEqualTo(8080);
        assertThat(LoopbackGuard.checkUrl("ws://127.12.0.9:9000/ws").getHost()).isEqualTo("127.12.0.9");
        assertThat(LoopbackGuard.checkUrl("ws://localhost:8080/ws").getPath()).isEqualTo("/ws");
        assertThat(LoopbackGuard.checkUrl("ws://[::1]:8080/ws").getPort()).isEqualTo(8080);
        assertThat(LoopbackGuard.checkUrl("ws://127.0.0.1:8080").getPath()).isEqualTo("/ws");
        assertThat(LoopbackGuard.checkSourceAddress("127.0.0.4").getHostAddress())
                .isEqualTo("127.0.0.4");
    }

    @Test
    void theCommandLineRefusesARemoteUrlWithExitCode2() {
        CommandLine cl = Main.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int code = cl.execute("fanout", "--url", "ws://10.0.0.1/ws", "--duration", "1s", "--warmup", "0s");
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("refused").contains("loopback");
    }

    @Test
    void thereIsNoWayAroundIt() {
        CommandLine cl = Main.commandLine();
        cl.setErr(new PrintWriter(new StringWriter()));
        cl.setOut(new PrintWriter(new StringWriter()));
        assertThat(cl.execute("fanout", "--allow-remote", "--url", "ws://10.0.0.1/ws"))
                .isEqualTo(2);
    }
}
