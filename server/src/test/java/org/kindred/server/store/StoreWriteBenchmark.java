package org.kindred.server.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.TestRooms;

/**
 * Audit and report writes per second through the store, on each engine ({@code docs/performance.md}). Not part of the
 * default run: {@code ./mvnw -B -ntp -pl protocol,client-sdk,server test -Dtest=StoreWriteBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dkindred.bench=true}.
 */
class StoreWriteBenchmark {

    private static final UserInfo MOD = new UserInfo("u-mod", "Mo", "moderator");
    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    private static final int WARM_UP = 2_000;
    private static final int WRITES = 20_000;
    /** Writes in flight at once, as from many event loops. */
    private static final int IN_FLIGHT = 64;

    @Test
    void auditAndReportWritesPerSecondOnEachEngine() throws Exception {
        assumeTrue(Boolean.getBoolean("kindred.bench"), "run with -Dkindred.bench=true");
        Path dir = Files.createTempDirectory("kindred-bench");
        measure("H2 (embedded file)", Engines.h2(dir));
        StorageConfig pg = Engines.postgres();
        try {
            measure("PostgreSQL 127.0.0.1", pg);
        } finally {
            Engines.dropPostgres(pg);
        }
    }

    private static void measure(String engine, StorageConfig config) {
        try (Database db = Database.open(config)) {
            SafetyStore store = store(db);
            run(store, "audit", WARM_UP, 0);
            double audits = run(store, "audit", WRITES, WARM_UP);
            run(store, "report", WARM_UP, 0);
            double reports = run(store, "report", WRITES, WARM_UP);
            System.out.printf(
                    "%s, pool %d: audit entries %.0f/s, reports %.0f/s%n", engine, config.poolSize(), audits, reports);
        }
    }

    private static double run(SafetyStore store, String what, int count, int offset) {
        long start = System.nanoTime();
        List<CompletableFuture<Void>> window = new ArrayList<>(IN_FLIGHT);
        for (int i = 0; i < count; i++) {
            int n = offset + i;
            window.add(
                    what.equals("audit")
                            ? store.audit(new AuditEntry(n, MOD, "report_resolved", ANA, "diabetes", "r-" + n, "ok"))
                            : store.fileReport(report("rb-" + what + "-" + offset + "-" + i)));
            if (window.size() == IN_FLIGHT) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new))
                        .join();
                window.clear();
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).join();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    private static ReportInfo report(String id) {
        ServerMessage.ChatMessage m = new ServerMessage.ChatMessage(
                "diabetes", 7, "m-" + id, ANA, "a message of ordinary length that someone reported", 1_000, "c");
        return new ReportInfo(
                id, "spam", "looks like spam", m, List.of(m, m), MOD, 1_000, "open", null, null, ANA.id());
    }

    private static SafetyStore store(Database db) {
        FakeTime time = new FakeTime();
        WireCodec codec = new WireCodec();
        ConnectedUsers users = new ConnectedUsers();
        LocalSafetyStore live = new LocalSafetyStore(
                users,
                new SanctionEnforcer(
                        users,
                        TestRooms.registry(List.of(), TestRooms.localBroker(10, Duration.ofDays(1), time), time),
                        codec),
                new Blocks(),
                codec,
                Clock.systemUTC(),
                Duration.ofDays(30));
        return new SqlSafetyStore(db, live, codec, Clock.systemUTC(), Duration.ofDays(30));
    }
}
