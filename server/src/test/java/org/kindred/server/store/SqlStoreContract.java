package org.kindred.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.AuditEntry;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.ReportInfo;
import org.kindred.protocol.ServerMessage.SanctionInfo;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.config.RoomAudience;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.room.RoomRecords;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.Failures;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.SafetyStore;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.safety.SanctionKind;
import org.kindred.server.support.SupportService;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.TestRooms;

/**
 * What the system of record promises, on each engine: every record read back as written, decisions taken once,
 * sanctions and blocks handed back to the live store after a restart. Subclasses name the engine.
 */
abstract class SqlStoreContract {

    static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    static final UserInfo BO = new UserInfo("u-bo", "Bo", "member");
    static final UserInfo MOD = new UserInfo("u-mod", "Mo", "moderator");
    static final UserInfo MOD2 = new UserInfo("u-mod2", "Max", "moderator");

    final FakeTime time = new FakeTime();
    final WireCodec codec = new WireCodec();
    final MicrometerMetrics metrics = new MicrometerMetrics();
    StorageConfig config;
    Database db;
    SafetyStore store;

    /** A new, empty database of the engine. */
    abstract StorageConfig freshDatabase() throws Exception;

    /** Removes what {@link #freshDatabase} made, if anything. */
    void dropDatabase(StorageConfig config) {}

    @BeforeEach
    void open() throws Exception {
        config = freshDatabase();
        db = Database.open(config);
        store = safety(db);
    }

    @AfterEach
    void close() {
        db.close();
        metrics.close();
        dropDatabase(config);
    }

    SafetyStore safety(Database database) {
        ConnectedUsers users = new ConnectedUsers();
        RoomRegistry rooms = TestRooms.registry(List.of(), TestRooms.localBroker(10, Duration.ofDays(1), time), time);
        LocalSafetyStore live = new LocalSafetyStore(
                users, new SanctionEnforcer(users, rooms, codec), new Blocks(), codec, time, Duration.ofDays(30));
        return new SqlSafetyStore(database, live, codec, time, Duration.ofDays(30));
    }

    static ChatMessage message(UserInfo author, String text) {
        return new ChatMessage("diabetes", 7, "m-" + text.hashCode(), author, text, 1_000, "c-1");
    }

    @Test
    void anAlertIsOpenUntilItsFirstAcknowledgementWhichOnlyOneModeratorWins() throws Exception {
        ServerMessage.Alert alert =
                new ServerMessage.Alert("a-1", "crisis", message(ANA, "marker-alert"), "en", null, time.millis());
        store.recordAlert(alert).join();
        assertThat(store.openAlerts().join()).containsExactly(alert);
        assertThat(store.alert("a-1").join()).contains(alert);

        List<CompletableFuture<SafetyStore.Acknowledgement>> acks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            acks.add(store.acknowledge("a-1", i % 2 == 0 ? MOD : MOD2, time.millis() + i));
        }
        List<SafetyStore.Acknowledgement> answers =
                acks.stream().map(CompletableFuture::join).toList();
        assertThat(answers).filteredOn(SafetyStore.Acknowledgement::first).hasSize(1);
        SafetyStore.Acknowledgement winner = answers.stream()
                .filter(SafetyStore.Acknowledgement::first)
                .findFirst()
                .orElseThrow();
        assertThat(answers).allSatisfy(a -> assertThat(a.by()).isEqualTo(winner.by()));
        assertThat(store.openAlerts().join()).isEmpty();
    }

    @Test
    void aReportIsReadBackWithItsSnapshotAndResolvedOnce() {
        ReportInfo report = new ReportInfo(
                "r-1",
                "harassment",
                "keeps writing to me",
                message(BO, "marker-reported"),
                List.of(message(ANA, "before")),
                ANA,
                time.millis(),
                "open",
                null,
                null,
                BO.id());
        store.fileReport(report).join();
        assertThat(store.openReports().join()).containsExactly(report);

        Optional<ReportInfo> first = store.resolve("r-1", MOD, "warned").join();
        Optional<ReportInfo> second = store.resolve("r-1", MOD2, "banned").join();
        assertThat(first).hasValueSatisfying(r -> assertThat(r.resolvedBy()).isEqualTo(MOD));
        assertThat(second).isEmpty();
        assertThat(store.openReports().join()).isEmpty();
    }

    @Test
    void aReportKeepsItsReportersLanguageThroughItsResolutionAndARestart() {
        ReportInfo report = new ReportInfo(
                "r-de",
                "spam",
                null,
                message(BO, "marker-reported"),
                List.of(),
                ANA,
                time.millis(),
                "open",
                null,
                null,
                BO.id(),
                "de-AT");
        store.fileReport(report).join();

        assertThat(safety(db).openReports().join())
                .extracting(ReportInfo::reporterLanguage)
                .containsExactly("de-AT");
        assertThat(safety(db).resolve("r-de", MOD, "warned").join())
                .hasValueSatisfying(r -> assertThat(r.reporterLanguage()).isEqualTo("de-AT"));
    }

    @Test
    void theAuditLogReadsNewestFirstUpToTheLimit() {
        for (int i = 0; i < 5; i++) {
            store.audit(new AuditEntry(1_000 + i, MOD, "ban", BO, null, null, "reason " + i))
                    .join();
        }
        List<AuditEntry> log = store.auditLog(3).join();
        assertThat(log).extracting(AuditEntry::at).containsExactly(1_004L, 1_003L, 1_002L);
        assertThat(log.get(0).target()).isEqualTo(BO);
    }

    @Test
    void sanctionsInForceAndBlocksComeBackAfterARestartAndLiftedOnesDoNot() {
        SanctionInfo ban =
                new SanctionInfo("s-1", BO.id(), "service_ban", null, "harassment", MOD, time.millis(), null);
        SanctionInfo mute =
                new SanctionInfo("s-2", ANA.id(), "timeout", null, "spam", MOD, time.millis(), time.millis() + 60_000);
        store.applySanction(ban).join();
        store.applySanction(mute).join();
        store.block(ANA.id(), BO.id()).join();
        assertThat(store.sanctions().find(BO.id(), SanctionKind.SERVICE_BAN, null, time.millis()))
                .isPresent();
        assertThat(store.liftSanction("s-2").join()).contains(mute);
        assertThat(store.liftSanction("s-2").join()).isEmpty();

        SafetyStore restarted = safety(db); // a new live store, empty, over the same database
        assertThat(restarted.sanctions().find(BO.id(), SanctionKind.SERVICE_BAN, null, time.millis()))
                .contains(ban);
        assertThat(restarted.sanctions().has("s-2")).isFalse();
        assertThat(restarted.blocks().hidden(ANA.id(), BO.id())).isTrue();

        restarted.unblock(ANA.id(), BO.id()).join();
        assertThat(safety(db).blocks().hidden(ANA.id(), BO.id())).isFalse();
    }

    @Test
    void aHeldMessageIsKeptOnceAndTakenOnce() {
        ServerMessage.HeldMessage held =
                new ServerMessage.HeldMessage("h-1", "diabetes", ANA, "marker-held", "c-9", "links", time.millis());
        assertThat(store.hold(held).join()).isTrue();
        assertThat(store.hold(held).join()).isFalse();
        assertThat(store.takeHeld("h-1").join()).contains(held);
        assertThat(store.takeHeld("h-1").join()).isEmpty();
    }

    @Test
    void aMembersFirstSignInIsRecordedOnce() {
        assertThat(store.firstSeen(ANA.id(), 5_000).join()).isEqualTo(5_000L);
        assertThat(store.firstSeen(ANA.id(), 9_000).join()).isEqualTo(5_000L);
    }

    @Test
    void groupsAreSavedInOrderReadBackAndForgotten() {
        SqlGroupRecords records = SqlGroupRecords.onOneNode(db, new Failures(metrics), time);
        records.save(Map.of("g-1", "{\"v\":1}", "g-2", "{\"v\":1}"), Set.of());
        records.save(Map.of("g-1", "{\"v\":2}"), Set.of("g-2"));
        assertThat(records.load()).isEqualTo(Map.of("g-1", "{\"v\":2}"));

        records.archive().keep("g-1-1000", "{\"attendance\":{}}");
        assertThat(records.archive().find("g-1-1000")).contains("{\"attendance\":{}}");
        records.archive().forget("g-1-1000");
        assertThat(records.archive().find("g-1-1000")).isEmpty();
        records.close();
    }

    @Test
    void anEndedSessionKeepsItsRatingAndTheMentorsNotesWhateverTheOrderTheyLand() throws Exception {
        SqlSessionRecords records = new SqlSessionRecords(db, new Failures(metrics));
        SupportService.SessionRecord rated =
                new SupportService.SessionRecord("s-9", ANA, List.of("u-men"), 1_000, 2_000, 4, "kind", List.of());
        records.rated(rated); // may land before the end
        records.ended(rated);
        records.noted("s-9", "u-men", "marker-note", 2_500);
        org.awaitility.Awaitility.await().untilAsserted(() -> {
            String session = db.<String>now(c -> {
                try (PreparedStatement s = c.prepareStatement("SELECT member_id, rating, rating_comment"
                                + " FROM support_sessions WHERE session_id = 's-9'");
                        ResultSet r = s.executeQuery()) {
                    return r.next() ? r.getString(1) + "/" + r.getInt(2) + "/" + r.getString(3) : "";
                }
            });
            assertThat(session).isEqualTo("u-ana/4/kind");
            Optional<String> note =
                    db.now(c -> SqlSafetyStore.one(c, "SELECT note FROM mentor_notes WHERE session_id = 's-9'"));
            assertThat(note).contains("marker-note");
        });
    }

    @Test
    void migratingAnUpToDateDatabaseAgainChangesNothing() {
        store.audit(new AuditEntry(1, MOD, "ban", BO, null, null, "r")).join();
        db.close();
        db = Database.open(config);
        assertThat(safety(db).auditLog(10).join()).hasSize(1);
    }

    @Test
    void aRoomMadeAtRunTimeIsReadBackWithItsAudienceAndItsIdIsTakenOnce() {
        SqlRoomRecords rooms = new SqlRoomRecords(db);
        RoomConfig teens = RoomConfig.withRuleNames(
                        "teens", "Teens", "13 to 17", List.of("diabetes"), Set.of("facilitator"), Set.of())
                .withAudience(new RoomAudience(Set.of("mentor"), Map.of("age_band", Set.of("13-17"))));
        RoomRecords.Stored stored = new RoomRecords.Stored(teens, false, "u-mod", 1_000, 1_000);
        assertThat(rooms.create(stored).join()).isTrue();
        assertThat(rooms.create(stored).join()).as("the id is taken").isFalse();

        RoomRecords.Stored archived =
                new RoomRecords.Stored(teens.withAudience(RoomAudience.EVERYONE), true, "u-mod", 1_000, 2_000);
        assertThat(rooms.update(archived).join()).isTrue();
        assertThat(rooms.update(new RoomRecords.Stored(RoomConfig.of("nowhere", "No", ""), false, "u", 1, 1))
                        .join())
                .isFalse();

        assertThat(rooms.find("teens").join()).contains(archived);
        assertThat(rooms.all().join()).containsExactly(archived);
        assertThat(rooms.find("teens").join().orElseThrow().config().rules()).isEmpty();
        assertThat(rooms.create(new RoomRecords.Stored(teens, false, "u-mod", 1_000, 1_000))
                        .thenCompose(ignored -> rooms.find("teens"))
                        .join()
                        .orElseThrow()
                        .config()
                        .audience())
                .isEqualTo(RoomAudience.EVERYONE);
    }
}
