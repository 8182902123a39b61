package org.kindred.server.safety;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.metrics.MicrometerMetrics;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.runtime.Failures;
import org.kindred.server.testing.FakeTime;
import org.kindred.server.testing.RecordingConnection;
import org.kindred.server.testing.TestRooms;

/** The crisis path: recorded, then sent; every failure on the way logged and counted, and nobody left unalerted. */
class CrisisAlertsTest {

    private static final UserInfo ANA = new UserInfo("u-ana", "Ana", "member");
    private static final ChatMessage MESSAGE =
            new ChatMessage("diabetes", 7, "m-1", ANA, "i want to end my life", 1_000, "c-1");

    private final FakeTime time = new FakeTime();
    private final WireCodec codec = new WireCodec();
    private final ConnectedUsers users = new ConnectedUsers();
    private final MicrometerMetrics metrics = new MicrometerMetrics();
    private final RoomRegistry rooms =
            TestRooms.registry(List.of(), TestRooms.localBroker(10, Duration.ofDays(1), time), time);
    private final LocalSafetyStore store = new LocalSafetyStore(
            users, new SanctionEnforcer(users, rooms, codec), new Blocks(), codec, time, Duration.ofDays(1));
    private final RecordingConnection moderator = new RecordingConnection("mod-1");
    private final RecordingConnection mentor = new RecordingConnection("mentor-1");

    @AfterEach
    void closeMetrics() {
        metrics.close();
    }

    private CrisisAlerts alerts(SafetyStore store) {
        users.addModerator("u-mod", moderator);
        users.add("u-mentor", mentor, java.util.Set.of(ConnectedUsers.MENTOR, ConnectedUsers.EXPERIENCED_MENTOR));
        return unstaffed(store);
    }

    private CrisisAlerts unstaffed(SafetyStore store) {
        return new CrisisAlerts(
                PhraseCrisisDetector.defaults(),
                store,
                CrisisLines.defaults(),
                metrics,
                new Failures(metrics),
                time,
                Duration.ofMinutes(2),
                Duration.ofMinutes(5));
    }

    private static final CrisisAlerts.Helpers MENTOR = new CrisisAlerts.Helpers(List.of("u-mentor"), "mentor");

    private double failures(String task) {
        var counter =
                metrics.registry().find("kindred.failures").tag("task", task).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void anAlertIsRecordedBeforeAnyoneIsSentIt() {
        List<Boolean> recordedWhenSeen = new CopyOnWriteArrayList<>();
        moderator.onReceive(message -> {
            if (message instanceof ServerMessage.Alert alert) {
                recordedWhenSeen.add(store.alert(alert.alertId()).join().isPresent());
            }
        });
        CrisisAlerts alerts = alerts(store);

        alerts.raise(MESSAGE, alerts.screen(MESSAGE.text()).orElseThrow(), CrisisAlerts.Source.POSTED, MENTOR, null);

        assertThat(recordedWhenSeen).containsExactly(true);
        assertThat(mentor.received(ServerMessage.Alert.class)).hasSize(1);
        assertThat(store.openAlerts().join()).extracting(a -> a.message().id()).containsExactly("m-1");
        assertThat(store.auditLog(10).join())
                .extracting(ServerMessage.AuditEntry::action)
                .contains("alert_raised");
    }

    @Test
    void anAlertThatCouldNotBeRecordedIsCountedAndStillReachesTheModerators() {
        CrisisAlerts alerts = alerts(failingToRecord(store));

        alerts.raise(MESSAGE, alerts.screen(MESSAGE.text()).orElseThrow(), CrisisAlerts.Source.POSTED, MENTOR, null);

        assertThat(failures("crisis alert record")).isEqualTo(1);
        assertThat(moderator.received(ServerMessage.Alert.class)).hasSize(1);
        assertThat(mentor.received(ServerMessage.Alert.class)).hasSize(1);
        assertThat(metrics.scrape()).contains("kindred_failures_total{task=\"crisis alert record\"} 1.0");
        assertThat(metrics.scrape()).doesNotContain("end my life");
    }

    @Test
    void theAuthorIsToldWhoHeardOfItAndTheMentorAndModeratorsAreNamed() {
        CrisisAlerts alerts = alerts(store);
        CrisisDetector.CrisisHit hit = alerts.screen(MESSAGE.text()).orElseThrow();

        ServerMessage.CrisisSupport support = alerts.supportFor(MESSAGE, hit, CrisisAlerts.Source.POSTED, MENTOR, null);

        assertThat(support.told()).containsExactly("mentor", "moderators");
        assertThat(support.message()).contains("your mentor and the moderators have been told");
        assertThat(support.source()).isNull();
    }

    @Test
    void whenNobodyWhoCanHelpIsConnectedTheAuthorIsToldSoAndPointedToTheLinesFirst() {
        CrisisAlerts alerts = unstaffed(store);
        CrisisDetector.CrisisHit hit = alerts.screen(MESSAGE.text()).orElseThrow();

        ServerMessage.CrisisSupport support =
                alerts.supportFor(MESSAGE, hit, CrisisAlerts.Source.REFUSED, MENTOR, null);

        assertThat(support.told()).isEmpty();
        assertThat(support.message())
                .startsWith("Please contact one of these lines now: nobody who can help is connected");
        assertThat(support.resources()).isNotEmpty();
        assertThat(support.source()).isEqualTo("refused");
    }

    @Test
    void anAuthorIsAnsweredInTheLanguageItReadsWithItsRegionsLinesAndItsAlertNamesThatLanguage() {
        CrisisAlerts alerts = alerts(store);
        CrisisDetector.CrisisHit hit = alerts.screen(MESSAGE.text()).orElseThrow();

        ServerMessage.CrisisSupport support =
                alerts.supportFor(MESSAGE, hit, CrisisAlerts.Source.POSTED, CrisisAlerts.Helpers.NONE, "de-AT");
        alerts.raise(MESSAGE, hit, CrisisAlerts.Source.POSTED, CrisisAlerts.Helpers.NONE, "de-AT");

        assertThat(support.message()).contains("Wir haben die Moderatorinnen und Moderatoren benachrichtigt");
        assertThat(support.resources()).extracting(r -> r.contact()).contains("142");
        assertThat(moderator.received(ServerMessage.Alert.class))
                .singleElement()
                .satisfies(alert -> {
                    assertThat(alert.language()).isEqualTo(hit.language());
                    assertThat(alert.authorLanguage()).isEqualTo("de-AT");
                });
    }

    @Test
    void aFrenchAuthorIsAnsweredInFrench() {
        CrisisAlerts alerts = alerts(store);
        ChatMessage french = new ChatMessage("anxiety", 3, "m-2", ANA, "je veux mourir", 1_000, "c-2");
        CrisisDetector.CrisisHit hit = alerts.screen(french.text()).orElseThrow();

        ServerMessage.CrisisSupport support =
                alerts.supportFor(french, hit, CrisisAlerts.Source.POSTED, CrisisAlerts.Helpers.NONE, null);

        assertThat(support.message()).contains("nous avons prévenu les modérateurs");
        assertThat(support.resources()).extracting(r -> r.contact()).contains("3114");
    }

    @Test
    void anUnpostedMessageSentAgainWithTheSameIdRaisesOneAlert() {
        CrisisAlerts alerts = alerts(store);
        List<ServerMessage> toAuthor = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 3; i++) {
            assertThat(alerts.screenUnposted(
                            ANA,
                            null,
                            "diabetes",
                            "i want to end my life",
                            "c-9",
                            CrisisAlerts.Source.REFUSED,
                            CrisisAlerts.Helpers.NONE,
                            toAuthor::add))
                    .isTrue();
        }

        assertThat(toAuthor).hasSize(1);
        assertThat(moderator.received(ServerMessage.Alert.class))
                .singleElement()
                .satisfies(alert -> {
                    assertThat(alert.source()).isEqualTo("refused");
                    assertThat(alert.message().seq()).isZero();
                });
    }

    @Test
    void anAlertNobodyAcknowledgesEscalatesTwiceToModeratorsAndExperiencedMentorsOnTheClock() {
        CrisisAlerts alerts = alerts(store);
        alerts.raise(
                MESSAGE,
                alerts.screen(MESSAGE.text()).orElseThrow(),
                CrisisAlerts.Source.POSTED,
                CrisisAlerts.Helpers.NONE,
                null);

        time.advance(Duration.ofSeconds(119));
        alerts.escalate().join();
        assertThat(moderator.received(ServerMessage.Alert.class))
                .extracting(ServerMessage.Alert::escalation)
                .containsExactly((Integer) null);

        time.advance(Duration.ofSeconds(1));
        alerts.escalate().join();
        alerts.escalate().join();
        assertThat(moderator.received(ServerMessage.Alert.class))
                .extracting(ServerMessage.Alert::escalation)
                .containsExactly(null, 1);
        assertThat(mentor.received(ServerMessage.Alert.class))
                .extracting(ServerMessage.Alert::escalation)
                .containsExactly(1);

        time.advance(Duration.ofMinutes(5));
        alerts.escalate().join();
        assertThat(mentor.received(ServerMessage.Alert.class))
                .extracting(ServerMessage.Alert::escalation)
                .containsExactly(1, 2);
        assertThat(store.auditLog(10).join())
                .extracting(ServerMessage.AuditEntry::action)
                .containsSubsequence("alert_escalated", "alert_escalated", "alert_raised");
        assertThat(metrics.scrape()).contains("kindred_safety_alert_escalations_total{level=\"1\"} 1.0");
    }

    @Test
    void anAcknowledgedAlertDoesNotEscalate() {
        CrisisAlerts alerts = alerts(store);
        alerts.raise(
                MESSAGE,
                alerts.screen(MESSAGE.text()).orElseThrow(),
                CrisisAlerts.Source.POSTED,
                CrisisAlerts.Helpers.NONE,
                null);
        String alertId = store.openAlerts().join().getFirst().alertId();
        alerts.acknowledge(new UserInfo("u-mod", "Mod", "moderator"), alertId, "k")
                .join();

        time.advance(Duration.ofMinutes(10));
        alerts.escalate().join();

        assertThat(mentor.received(ServerMessage.Alert.class)).isEmpty();
    }

    /** The real in-memory store, except that recording an alert fails as a Redis that does not answer would. */
    private static SafetyStore failingToRecord(SafetyStore real) {
        return (SafetyStore) Proxy.newProxyInstance(
                SafetyStore.class.getClassLoader(), new Class<?>[] {SafetyStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("recordAlert")) {
                        return CompletableFuture.failedFuture(new IllegalStateException("Redis did not answer"));
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
