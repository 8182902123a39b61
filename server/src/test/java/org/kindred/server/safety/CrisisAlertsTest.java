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
        users.add("u-mentor", mentor);
        return new CrisisAlerts(
                PhraseCrisisDetector.defaults(), store, CrisisLines.defaults(), metrics, new Failures(metrics), time);
    }

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

        alerts.raise(MESSAGE, alerts.screen(MESSAGE.text()).orElseThrow(), List.of("u-mentor"));

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

        alerts.raise(MESSAGE, alerts.screen(MESSAGE.text()).orElseThrow(), List.of("u-mentor"));

        assertThat(failures("crisis alert record")).isEqualTo(1);
        assertThat(moderator.received(ServerMessage.Alert.class)).hasSize(1);
        assertThat(mentor.received(ServerMessage.Alert.class)).hasSize(1);
        assertThat(metrics.scrape()).contains("kindred_failures_total{task=\"crisis alert record\"} 1.0");
        assertThat(metrics.scrape()).doesNotContain("end my life");
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
