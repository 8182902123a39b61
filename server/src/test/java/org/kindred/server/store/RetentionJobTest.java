package org.kindred.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.TestRooms;

/** The retention job deletes what is past its retention, keeps what is not or still matters, and runs on one node. */
class RetentionJobTest {

    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    private static final UserInfo MOD = new UserInfo("u-mod", "Mo", "moderator");
    private static final Duration RETENTION = Duration.ofDays(30);

    @TempDir
    Path dir;

    private final FakeTime time = new FakeTime();
    private final MicrometerMetrics metrics = new MicrometerMetrics();
    private final WireCodec codec = new WireCodec();
    private Database db;
    private SafetyStore store;

    @BeforeEach
    void open() {
        db = Database.open(Engines.h2(dir));
        ConnectedUsers users = new ConnectedUsers();
        LocalSafetyStore live = new LocalSafetyStore(
                users,
                new SanctionEnforcer(
                        users,
                        TestRooms.registry(List.of(), TestRooms.localBroker(10, Duration.ofDays(1), time), time),
                        codec),
                new Blocks(),
                codec,
                time,
                RETENTION);
        store = new SqlSafetyStore(db, live, codec, time, RETENTION);
    }

    @AfterEach
    void close() {
        db.close();
        metrics.close();
    }

    private RetentionJob job(String node) {
        return new RetentionJob(db, node, time, RETENTION, Duration.ofMinutes(30), metrics);
    }

    private ReportInfo report(String id) {
        ServerMessage.ChatMessage m =
                new ServerMessage.ChatMessage("diabetes", 1, "m-" + id, ANA, "text", time.millis(), "c");
        return new ReportInfo(id, "spam", null, m, List.of(), MOD, time.millis(), "open", null, null, ANA.id());
    }

    @Test
    void recordsPastTheRetentionGoAndOpenReportsAndSanctionsInForceStay() throws Exception {
        store.audit(new AuditEntry(time.millis(), MOD, "ban", ANA, null, null, "old"))
                .join();
        store.fileReport(report("r-old-resolved")).join();
        store.resolve("r-old-resolved", MOD, "done").join();
        store.fileReport(report("r-old-open")).join();
        store.applySanction(new SanctionInfo("s-ban", ANA.id(), "service_ban", null, "r", MOD, time.millis(), null))
                .join();
        store.applySanction(new SanctionInfo(
                        "s-over", ANA.id(), "timeout", null, "r", MOD, time.millis(), time.millis() + 60_000))
                .join();

        time.advance(RETENTION.plusDays(1));
        store.audit(new AuditEntry(time.millis(), MOD, "warn", ANA, null, null, "recent"))
                .join();
        RetentionJob.Purged purged = job("node-a").runOnce();

        assertThat(purged.counts())
                .containsEntry("audit_entries", 1L)
                .containsEntry("reports", 1L)
                .containsEntry("sanctions", 1L);
        assertThat(store.auditLog(10).join()).extracting(AuditEntry::reason).containsExactly("recent");
        assertThat(store.openReports().join()).extracting(ReportInfo::reportId).containsExactly("r-old-open");
        assertThat(metrics.registry()
                        .find("kindred.records.purged")
                        .tag("kind", "audit_entries")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void whileOneNodeHoldsTheLeaseAnotherDoesNotRunAndTakesOverOnceItRunsOut() throws Exception {
        assertThat(job("node-a").runOnce().counts()).isNotEmpty();
        assertThat(job("node-b").runOnce().counts()).isEmpty();
        assertThat(job("node-a").runOnce().counts()).isNotEmpty(); // the holder runs again on its turn
        time.advance(Duration.ofMinutes(31));
        assertThat(job("node-b").runOnce().counts()).isNotEmpty();
        assertThat(job("node-a").runOnce().counts()).isEmpty();
    }
}
