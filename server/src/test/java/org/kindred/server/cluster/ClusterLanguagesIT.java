package org.kindred.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisExtension;
import org.kindred.server.testing.RawClient;
import org.kindred.server.testing.TestCluster;

/**
 * A member's language across nodes: the reporter's language is kept with its report, so the outcome a moderator on
 * another node decides later reads in it, even after the reporter reconnected without naming one; the token's
 * {@code locale} claim stands in for {@code hello.language}.
 */
class ClusterLanguagesIT {

    @RegisterExtension
    static final RedisExtension REDIS = RedisExtension.standalone();

    private TestCluster cluster;

    @BeforeEach
    void start() throws Exception {
        REDIS.flushAll();
        cluster = TestCluster.start(
                2,
                RedisConfig.standalone(REDIS.uri()),
                c -> c.ratePerSecond(1000).rateBurst(1000));
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private RawClient germanReporter() throws Exception {
        return RawClient.signedInReading(cluster.ws(0).toString(), TestCluster.token("Reporterin", "member"), "de-DE");
    }

    @Test
    void aReporterWhoSignedInWithGermanIsToldTheOutcomeInGermanByAModeratorOnAnotherNode() throws Exception {
        RawClient moderator = cluster.signedIn(1, "Mod", "moderator");
        try (RawClient reporter = germanReporter()) {
            reporter.send(new ClientMessage.Block("b", TestCluster.userId("Someone"), null));
            reporter.awaitReply("b");
            String reportId = moderator
                    .await(ServerMessage.ReportFiled.class, r -> true)
                    .report()
                    .reportId();

            moderator.send(new ClientMessage.ResolveReport("res", reportId, "Looked into it"));
            moderator.awaitReply("res");

            ServerMessage.ReportOutcome outcome =
                    reporter.await(ServerMessage.ReportOutcome.class, o -> reportId.equals(o.reportId()));
            assertThat(outcome.message()).startsWith("Danke für deine Meldung.");
        }
    }

    @Test
    void aReporterWhoReconnectedWithoutALanguageIsStillToldInTheLanguageItReportedIn() throws Exception {
        RawClient moderator = cluster.signedIn(1, "Mod", "moderator");
        String reportId;
        try (RawClient reporter = germanReporter()) {
            reporter.send(new ClientMessage.Block("b", TestCluster.userId("Someone"), null));
            reporter.awaitReply("b");
            reportId = moderator
                    .await(ServerMessage.ReportFiled.class, r -> true)
                    .report()
                    .reportId();
        }
        RawClient back = cluster.signedIn(1, "Reporterin", "member");

        moderator.send(new ClientMessage.ResolveReport("res", reportId, "Looked into it"));
        moderator.awaitReply("res");

        assertThat(back.await(ServerMessage.ReportOutcome.class, o -> reportId.equals(o.reportId()))
                        .message())
                .startsWith("Danke für deine Meldung.");
    }

    @Test
    void theTokensLocaleClaimIsTheLanguageWhenHelloNamesNoneAndHelloLanguageWinsOverIt() throws Exception {
        String token = TestCluster.token("Lena", "member", Map.of("locale", "de_AT"));
        try (RawClient byClaim = RawClient.signedIn(cluster.ws(0).toString(), token);
                RawClient byHello = RawClient.signedInReading(cluster.ws(1).toString(), token, "es")) {
            byClaim.send("{\"type\":\"join\",\"ref\":\"l\",\"room\":\"no-such-room\"}");
            byHello.send("{\"type\":\"join\",\"ref\":\"l\",\"room\":\"no-such-room\"}");

            assertThat(byClaim.awaitError("l").message()).startsWith("Diesen Raum gibt es nicht.");
            assertThat(byHello.awaitError("l").message()).startsWith("Esta sala no existe.");
        }
    }
}
