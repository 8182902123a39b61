package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.ServerMessage;

/** The group commands without a server: argument checks, and the wire commands they make of java.time values. */
class GroupCommandsTest {

    private static final URI URL = URI.create("ws://127.0.0.1:1/ws");
    private static final String GROUP = "g-5b7e21";
    private static final Instant START = Instant.parse("2026-12-03T18:00:00Z");
    private static final Duration HOUR = Duration.ofMinutes(60);

    private final List<ClientMessage> sent = new ArrayList<>();
    private final AtomicLong refs = new AtomicLong();
    private final GroupCommands groups = new GroupCommands(() -> "r" + refs.incrementAndGet(), this::record);

    @Test
    void rejectsInvalidSchedulesOnTheCallingThread() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() ->
                            client.createGroup(GroupSchedule.of("Circle", "long-covid", START, Duration.ofSeconds(90))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("field 'duration' must be whole minutes, not PT1M30S");
            assertThatThrownBy(() ->
                            client.createGroup(GroupSchedule.of("Circle", "long-covid", START, Duration.ofMinutes(5))))
                    .hasMessage("field 'durationMinutes' must be 10 to 480");
            assertThatThrownBy(() -> client.createGroup(GroupSchedule.of(" ", "long-covid", START, HOUR)))
                    .hasMessage("field 'title' must not be blank");
            assertThatThrownBy(() -> client.createGroup(GroupSchedule.of("Circle", "long-covid", null, HOUR)))
                    .hasMessage("missing field 'startsAt'");
            assertThatThrownBy(() -> client.createGroup(GroupSchedule.of("Circle", "long-covid", START, null)))
                    .hasMessage("missing field 'durationMinutes'");
            assertThatThrownBy(() -> client.createGroup(GroupSchedule.of("Circle", "long-covid", START, HOUR)
                            .withCapacity(0)))
                    .hasMessage("field 'capacity' must be 1 to 1000");
            assertThatThrownBy(() -> client.createGroup(null)).hasMessage("missing field 'schedule'");
            assertThatThrownBy(() ->
                            client.updateGroup(" ", GroupSchedule.changes().withTitle("New")))
                    .hasMessage("field 'groupId' must not be blank");
        }
    }

    @Test
    void rejectsInvalidGroupCommandsOnTheCallingThread() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.cancelMeeting(GROUP, null, "Holiday"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("missing field 'occurrence'");
            assertThatThrownBy(() -> client.cancelGroup(GROUP, " ")).hasMessage("field 'reason' must not be blank");
            assertThatThrownBy(() -> client.setGroupChat(GROUP, null, null, null))
                    .hasMessage("give at least one of 'locked', 'slowModeSeconds', 'floorOnly'");
            assertThatThrownBy(() -> client.setGroupChat(GROUP, null, Duration.ofMillis(1500), null))
                    .hasMessage("field 'slowMode' must be whole seconds, not PT1.5S");
            assertThatThrownBy(() -> client.setGroupChat(GROUP, null, Duration.ofHours(2), null))
                    .hasMessage("field 'slowModeSeconds' must be 0 to 3600");
            assertThatThrownBy(() -> client.mute(GROUP, " ")).hasMessage("field 'userId' must not be blank");
            assertThatThrownBy(() -> client.removeParticipant(GROUP, "u-5e27", true, null))
                    .hasMessage("missing field 'reason'");
            assertThatThrownBy(() -> client.liftGroupBan(GROUP, " ")).hasMessage("field 'userId' must not be blank");
            assertThatThrownBy(() -> client.pin(GROUP, 0)).hasMessage("field 'seq' must be >= 1");
            assertThatThrownBy(() -> client.giveFloor(GROUP, null)).hasMessage("missing field 'userId'");
            assertThatThrownBy(() -> client.attendance(GROUP, null)).hasMessage("missing field 'occurrence'");
            assertThatThrownBy(() -> client.raiseHand(null)).hasMessage("missing field 'groupId'");
        }
    }

    @Test
    void failsGroupCommandsBeforeConnect() {
        try (KindredClient client = KindredClient.builder().url(URL).token("t").build()) {
            assertThatThrownBy(() -> client.listGroups(null).get())
                    .cause()
                    .isInstanceOfSatisfying(
                            KindredException.class,
                            e -> assertThat(e.code()).isEqualTo(KindredException.NOT_CONNECTED));
            assertThat(client.groupState("g-5b7e21-20261203t1800z")).isEmpty();
        }
    }

    @Test
    void createsAGroupWithUtcTimesToTheSecondAndTheZonesName() {
        Instant parisEvening = ZonedDateTime.of(2026, 12, 3, 19, 0, 0, 750_000_000, ZoneId.of("Europe/Paris"))
                .toInstant();

        groups.createGroup(GroupSchedule.of("Long COVID evening circle", "long-covid", parisEvening, HOUR)
                .withCapacity(12)
                .withWeekly(true)
                .withTimeZone(ZoneId.of("Europe/Paris"))
                .withRegistration(true)
                .withRules("Be kind.")
                .withFloorOnly(true)
                .withFacilitators(List.of("u-7f3a")));

        assertThat(sent)
                .containsExactly(new ClientMessage.CreateGroup(
                        "r1",
                        "Long COVID evening circle",
                        "long-covid",
                        "2026-12-03T18:00:00Z",
                        60,
                        12,
                        "weekly",
                        "Europe/Paris",
                        true,
                        "Be kind.",
                        true,
                        List.of("u-7f3a")));
    }

    @Test
    void leavesWhatTheAppDidNotSetToTheServer() {
        groups.createGroup(GroupSchedule.of("Circle", "long-covid", START, HOUR));
        groups.updateGroup(GROUP, GroupSchedule.changes().withDuration(Duration.ofMinutes(75)));
        groups.updateGroup(GROUP, GroupSchedule.changes().withWeekly(false));

        assertThat(sent)
                .containsExactly(
                        new ClientMessage.CreateGroup(
                                "r1",
                                "Circle",
                                "long-covid",
                                "2026-12-03T18:00:00Z",
                                60,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                        new ClientMessage.UpdateGroup(
                                "r2", GROUP, null, null, null, 75, null, null, null, null, null, null, null),
                        new ClientMessage.UpdateGroup(
                                "r3", GROUP, null, null, null, null, null, "none", null, null, null, null, null));
    }

    @Test
    void makesTheWireCommandOfEachControl() {
        groups.cancelMeeting(GROUP, Instant.parse("2026-12-24T18:00:00.123Z"), "No meeting on Christmas Eve.");
        groups.cancelGroup(GROUP, "The facilitator moved away.");
        groups.setGroupChat(GROUP, true, Duration.ZERO, null);
        groups.mute(GROUP, "u-5e27", false);
        groups.pin(GROUP, null);
        groups.raiseHand(GROUP, false);
        groups.giveFloorToNext(GROUP);
        groups.latestAttendance(GROUP);
        groups.attendance(GROUP, START);

        assertThat(sent)
                .containsExactly(
                        new ClientMessage.CancelGroup(
                                "r1", GROUP, "2026-12-24T18:00:00Z", "No meeting on Christmas Eve."),
                        new ClientMessage.CancelGroup("r2", GROUP, null, "The facilitator moved away."),
                        new ClientMessage.SetGroupChat("r3", GROUP, true, 0, null),
                        new ClientMessage.Mute("r4", GROUP, "u-5e27", false),
                        new ClientMessage.Pin("r5", GROUP, null),
                        new ClientMessage.RaiseHand("r6", GROUP, false),
                        new ClientMessage.GiveFloor("r7", GROUP, null),
                        new ClientMessage.ReadAttendance("r8", GROUP, null),
                        new ClientMessage.ReadAttendance("r9", GROUP, "2026-12-03T18:00:00Z"));
    }

    @Test
    void aScheduleIsImmutable() {
        List<String> facilitators = new ArrayList<>(List.of("u-7f3a"));
        GroupSchedule base =
                GroupSchedule.of("Circle", "long-covid", START, HOUR).withFacilitators(facilitators);

        GroupSchedule weekly = base.withWeekly(true);
        facilitators.add("u-9999");

        assertThat(base.weekly()).isNull();
        assertThat(weekly.weekly()).isTrue();
        assertThat(weekly.facilitators()).containsExactly("u-7f3a");
    }

    private <T extends ServerMessage, R> CompletableFuture<R> record(
            ClientMessage command, Class<T> replyType, Function<T, R> result) {
        sent.add(command);
        return new CompletableFuture<>();
    }
}
