package org.kindred.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.kindred.protocol.ClientMessage;
import org.kindred.protocol.CrisisResource;
import org.kindred.protocol.ErrorCode;
import org.kindred.protocol.Limits;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.protocol.ServerMessage.Availability;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.ServerMessage.Welcome;
import org.kindred.protocol.UserInfo;

/** The client against a scripted WebSocket server: resume, resend, retry, failover and terminal closes. */
class KindredClientIT {

    private static final UserInfo ALICE = new UserInfo("u1", "Alice", "member");
    private static final UserInfo BOB = new UserInfo("u2", "Bob", "member");
    private static final UserInfo CAROL = new UserInfo("u3", "Carol", "moderator");
    private static final UserInfo DANA = new UserInfo("u4", "Dana", "facilitator");
    private static final List<String> DIABETES = List.of("diabetes");
    private static final String GROUP = "g-5b7e21";
    private static final String GROUP_ROOM = "g-5b7e21-20261203t1800z";
    private static final String OTHER_GROUP_ROOM = "g-9a0c33-20261203t1900z";
    private static final ServerMessage.GroupInfo GROUP_INFO = new ServerMessage.GroupInfo(
            GROUP,
            "Long COVID evening circle",
            "long-covid",
            List.of(DANA),
            "2026-12-03T18:00:00Z",
            "2026-12-03T19:00:00Z",
            "2026-12-03T17:45:00Z",
            60,
            12,
            "weekly",
            "Europe/Paris",
            false,
            5,
            true,
            "scheduled",
            GROUP_ROOM,
            "Be kind.",
            true);
    private static final List<String> EN = List.of("en");
    private static final ReconnectPolicy FAST = ReconnectPolicy.builder()
            .initialDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(50))
            .build();

    private final Recorder events = new Recorder();
    private FakeKindredServer server;
    private KindredClient client;

    @BeforeEach
    void startServer() throws IOException {
        server = new FakeKindredServer();
    }

    @AfterEach
    void stop() throws IOException {
        if (client != null) {
            client.close();
        }
        server.close();
    }

    @Test
    void resumesRoomsAndResendsUnacknowledgedSendsAfterAnUnexpectedClose() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, "room", "e1", 2, 1, 2);
        first.send(message("room", 3));
        first.send(message("room", 2));
        CompletableFuture<Ack> sending = client.send("room", "hello");
        ClientMessage.Send sent = first.expect(ClientMessage.Send.class);

        first.close(4000, "server shutting down");

        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        assertThat(rejoin.room()).isEqualTo("room");
        assertThat(rejoin.since()).isEqualTo(3);
        assertThat(rejoin.epoch()).isEqualTo("e1");
        second.send(joined(rejoin.ref(), "room", "e1", 4, true, 3, 4));
        ClientMessage.Send resent = second.expect(ClientMessage.Send.class);
        assertThat(resent.clientMsgId()).isEqualTo(sent.clientMsgId());
        assertThat(resent.text()).isEqualTo("hello");
        assertThat(resent.ref()).isNotEqualTo(sent.ref());
        second.send(new Ack(resent.ref(), "room", resent.clientMsgId(), "m5", 5, 1005, true));

        assertThat(sending.get(5, TimeUnit.SECONDS).duplicate()).isTrue();
        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "disconnected 4000 server shutting down reconnect=true",
                        "resumed room recovered=true",
                        "connected"));
        assertThat(events.seqs("room")).containsExactly(1L, 2L, 3L, 4L);
    }

    @Test
    void namesTheLanguageTheUserReadsInEveryHello() throws Exception {
        client = builder(server.url()).language(java.util.Locale.CANADA_FRENCH).build();
        CompletableFuture<Welcome> connecting = client.connect();
        FakeKindredServer.Connection first = server.nextConnection();
        ClientMessage.Hello hello = first.expect(ClientMessage.Hello.class);
        assertThat(hello.language()).isEqualTo("fr-CA");
        first.send(welcome(hello.ref()));
        connecting.get(5, TimeUnit.SECONDS);

        first.kill();
        assertThat(server.nextConnection().expect(ClientMessage.Hello.class).language())
                .isEqualTo("fr-CA");
    }

    @Test
    void holdsSendsMadeWhileReconnectingUntilTheRoomsAreRejoined() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, "room", "e1", 1, 1);

        first.kill();
        FakeKindredServer.Connection second = server.nextConnection();
        ClientMessage.Hello hello = second.expect(ClientMessage.Hello.class);
        CompletableFuture<Ack> early = client.send("room", "first");
        CompletableFuture<Ack> late = client.send("room", "second");
        second.send(welcome(hello.ref()));

        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        second.send(joined(rejoin.ref(), "room", "e1", 1, true));
        // One send per room at a time: the second goes out once the first is acknowledged.
        ClientMessage.Send one = second.expect(ClientMessage.Send.class);
        assertThat(one.text()).isEqualTo("first");
        second.expectNothingFor(Duration.ofMillis(300));
        second.send(new Ack(one.ref(), "room", one.clientMsgId(), "m2", 2, 0, false));
        ClientMessage.Send two = second.expect(ClientMessage.Send.class);
        assertThat(two.text()).isEqualTo("second");
        second.send(new Ack(two.ref(), "room", two.clientMsgId(), "m3", 3, 0, false));

        assertThat(early.get(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
        assertThat(late.get(5, TimeUnit.SECONDS).seq()).isEqualTo(3);
        await().untilAsserted(() -> assertThat(events.log).anyMatch(e -> e.startsWith("disconnected 1006")));
    }

    @Test
    void startsTheRoomAgainWhenItsEpochChangedWhileDisconnected() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, "room", "e1", 7, 6, 7);

        first.close(4002, "slow consumer");
        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        second.send(joined(rejoin.ref(), "room", "e2", 2, false, 1, 2));
        second.send(message("room", 3));

        await().untilAsserted(() -> assertThat(events.seqs("room")).containsExactly(6L, 7L, 1L, 2L, 3L));
        assertThat(events.log).contains("resumed room recovered=false");
    }

    @Test
    void stopsAfterATerminalCloseCodeAndFailsPendingSends() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, "room", "e1", 0);
        CompletableFuture<Ack> sending = client.send("room", "hello");
        first.expect(ClientMessage.Send.class);

        first.close(4101, "token expired");

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(KindredException.class, e -> {
                    assertThat(e.code()).isEqualTo(KindredException.CONNECTION_CLOSED);
                    assertThat(e.closeCode()).hasValue(4101);
                    assertThat(e.retryable()).isFalse();
                });
        await().untilAsserted(() -> assertThat(events.log).contains("disconnected 4101 token expired reconnect=false"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.accepted() == 1);
    }

    @Test
    void retriesARateLimitedSendWithTheSameClientMsgId() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, "room", "e1", 0);
        CompletableFuture<Ack> sending = client.send("room", "id-1", "hello");

        ClientMessage.Send first = connection.expect(ClientMessage.Send.class);
        connection.send(new ServerMessage.Error(first.ref(), "rate_limited", "slow down", true, 30L));
        ClientMessage.Send second = connection.expect(ClientMessage.Send.class);
        connection.send(new ServerMessage.Error(second.ref(), "unavailable", "store down", true, null));
        ClientMessage.Send third = connection.expect(ClientMessage.Send.class);
        connection.send(new Ack(third.ref(), "room", "id-1", "m1", 1, 0, false));

        assertThat(List.of(first.clientMsgId(), second.clientMsgId(), third.clientMsgId()))
                .containsOnly("id-1");
        assertThat(sending.get(5, TimeUnit.SECONDS).id()).isEqualTo("m1");
    }

    @Test
    void failsASendAtOnceOnANonRetryableError() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        CompletableFuture<Ack> sending = client.send("room", "hello");

        ClientMessage.Send sent = connection.expect(ClientMessage.Send.class);
        connection.send(ServerMessage.Error.of(sent.ref(), ErrorCode.NOT_IN_ROOM, "join the room first"));

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.NOT_IN_ROOM));
    }

    @Test
    void givesUpASendAfterMaxSendAttemptsRetryableRefusals() throws Exception {
        client = builder(server.url()).maxSendAttempts(2).build();
        FakeKindredServer.Connection connection = connect();
        CompletableFuture<Ack> sending = client.send("room", "hello");

        for (int i = 0; i < 2; i++) {
            ClientMessage.Send sent = connection.expect(ClientMessage.Send.class);
            connection.send(ServerMessage.Error.of(sent.ref(), ErrorCode.INTERNAL, "oops"));
        }

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.INTERNAL));
    }

    @Test
    void failsOverToTheNextUrlWhenTheFirstCannotBeReached() throws Exception {
        client = builder(unreachableUrl())
                .urls(List.of(unreachableUrl(), server.url()))
                .build();

        connect();

        assertThat(server.accepted()).isEqualTo(1);
    }

    @Test
    void failsConnectWithTheServersErrorWhenHelloIsRefused() throws Exception {
        client = client(server.url());
        CompletableFuture<Welcome> connecting = client.connect();
        FakeKindredServer.Connection connection = server.nextConnection();
        ClientMessage.Hello hello = connection.expect(ClientMessage.Hello.class);

        connection.send(ServerMessage.Error.of(hello.ref(), ErrorCode.TOKEN_INVALID, "bad signature"));
        connection.close(4100, "authentication failed");

        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.TOKEN_INVALID));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.accepted() == 1);
    }

    @Test
    void asksTheTokenSupplierOnEveryConnect() throws Exception {
        List<String> tokens = List.of("t1", "t2");
        var calls = new java.util.concurrent.atomic.AtomicInteger();
        client = builder(server.url())
                .tokenSupplier(() -> tokens.get(calls.getAndIncrement()))
                .build();
        FakeKindredServer.Connection first = connect();

        first.kill();

        ClientMessage.Hello hello = server.nextConnection().expect(ClientMessage.Hello.class);
        assertThat(hello.token()).isEqualTo("t2");
    }

    @Test
    void reassemblesAMessageSentInSeveralFrames() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, "room", "e1", 0);

        connection.sendInParts(message("room", 1), 3);

        await().untilAsserted(() -> assertThat(events.seqs("room")).containsExactly(1L));
    }

    @Test
    void failsARequestThatGetsNoReplyInTime() throws Exception {
        client = builder(server.url()).requestTimeout(Duration.ofMillis(300)).build();
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.History> history = client.history("room", null, 10);
        connection.expect(ClientMessage.FetchHistory.class);

        assertThatThrownBy(() -> history.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.code()).isEqualTo(KindredException.TIMEOUT));
    }

    @Test
    void pingsAndReconnectsWhenNoPongComes() throws Exception {
        client = builder(server.url())
                .pingInterval(Duration.ofMillis(100))
                .requestTimeout(Duration.ofMillis(300))
                .build();
        FakeKindredServer.Connection first = connect();

        first.expect(ClientMessage.Ping.class);

        welcome(server.nextConnection());
        await().untilAsserted(
                        () -> assertThat(events.log).contains("disconnected 1006 no pong in time reconnect=true"));
    }

    @Test
    void deliversErrorsWithoutAPendingCommandToTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        client.typing("room", true);
        ClientMessage.Typing typing = connection.expect(ClientMessage.Typing.class);
        connection.send(ServerMessage.Error.of(typing.ref(), ErrorCode.NOT_IN_ROOM, "join first"));

        await().untilAsserted(() -> assertThat(events.log).contains("error not_in_room"));
    }

    @Test
    void closeSendsANormalCloseFrameAndStopsReconnecting() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        client.close();

        await().until(() -> connection.clientCloseCode() == 1000);
        assertThat(events.log).contains("disconnected 1000 client closed reconnect=false");
        assertThatThrownBy(() -> client.join("room").get()).cause().isInstanceOf(KindredException.class);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One-to-one support

    @Test
    void setsTheAvailabilityAgainAfterAReconnect() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        CompletableFuture<Availability> setting = client.setAvailability(true, DIABETES, EN, 2);
        ClientMessage.SetAvailability set = first.expect(ClientMessage.SetAvailability.class);
        first.send(new Availability(set.ref(), true, DIABETES, EN, 2, 0));
        assertThat(setting.get(5, TimeUnit.SECONDS).capacity()).isEqualTo(2);

        first.kill();

        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.SetAvailability again = second.expect(ClientMessage.SetAvailability.class);
        assertThat(again).isEqualTo(new ClientMessage.SetAvailability(again.ref(), true, DIABETES, EN, 2));
        assertThat(again.ref()).isNotEqualTo(set.ref());
        second.send(new Availability(again.ref(), true, DIABETES, EN, 2, 1));
        await().untilAsserted(() -> assertThat(events.log).contains("availability restored active=1"));
    }

    @Test
    void doesNotSetTheAvailabilityAgainOnceTheMentorWentAway() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        client.setAvailability(true, DIABETES, EN, null);
        ClientMessage.SetAvailability set = first.expect(ClientMessage.SetAvailability.class);
        first.send(new Availability(set.ref(), true, DIABETES, EN, 3, 0));
        CompletableFuture<Availability> away = client.setAvailability(false, null, null, null);
        ClientMessage.SetAvailability unset = first.expect(ClientMessage.SetAvailability.class);
        first.send(new Availability(unset.ref(), false, DIABETES, EN, 3, 0));
        away.get(5, TimeUnit.SECONDS);

        first.kill();

        FakeKindredServer.Connection second = welcome(server.nextConnection());
        await().until(() -> events.log.stream().filter("connected"::equals).count() == 2);
        client.join("room");
        assertThat(second.expect(ClientMessage.Join.class).room()).isEqualTo("room");
    }

    @Test
    void reportsARefusedRestoreAndStopsSendingIt() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        CompletableFuture<Availability> setting = client.setAvailability(true, DIABETES, EN, null);
        ClientMessage.SetAvailability set = first.expect(ClientMessage.SetAvailability.class);
        first.send(new Availability(set.ref(), true, DIABETES, EN, 3, 0));
        setting.get(5, TimeUnit.SECONDS);

        first.kill();
        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.SetAvailability again = second.expect(ClientMessage.SetAvailability.class);
        second.send(ServerMessage.Error.of(again.ref(), ErrorCode.FORBIDDEN, "only a mentor may do this"));
        await().untilAsserted(() -> assertThat(events.log).contains("error forbidden"));

        second.kill();
        FakeKindredServer.Connection third = welcome(server.nextConnection());
        await().until(() -> events.log.stream().filter("connected"::equals).count() == 3);
        client.join("room");
        third.expect(ClientMessage.Join.class);
    }

    @Test
    void deliversSupportFramesWithoutRefToTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.SupportOffer("r-1", "diabetes", "en", BOB, "hi", null, 60_000));
        connection.send(new ServerMessage.OfferWithdrawn("r-1", "expired"));
        connection.send(sessionStarted(null));
        connection.send(new ServerMessage.SupportQueued(null, "r-2", "diabetes", "en", 2, 120, false));
        connection.send(new ServerMessage.SupportCancelled(null, "r-2", "expired"));
        connection.send(new ServerMessage.HandoffProposed("s-1", ALICE, null, "off shift"));
        connection.send(new ServerMessage.Done(null, "handoff_refused"));
        connection.send(new ServerMessage.SessionEnded("s-1", BOB, "ended"));

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "offer r-1 from Bob",
                        "offer withdrawn r-1 expired",
                        "session started s-1 mentor=Alice",
                        "status r-2 position=2",
                        "cancelled r-2 expired",
                        "handoff proposed s-1",
                        "done handoff_refused",
                        "session ended s-1 ended"));
    }

    @Test
    void acceptingAnOfferCompletesTheFutureThenTellsTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.SessionStarted> accepting = client.acceptOffer("r-1");
        accepting.thenAccept(started -> events.log.add("accepted " + started.sessionId()));
        ClientMessage.AcceptOffer accept = connection.expect(ClientMessage.AcceptOffer.class);
        assertThat(accept.requestId()).isEqualTo("r-1");
        connection.send(sessionStarted(accept.ref()));

        assertThat(accepting.get(5, TimeUnit.SECONDS).mentor()).isEqualTo(ALICE);
        await().untilAsserted(() ->
                assertThat(events.log).containsSubsequence("accepted s-1", "session started s-1 mentor=Alice"));
    }

    @Test
    void completesSupportCommandsWithTheirReplies() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.SupportQueued> requesting = client.requestSupport("diabetes", "en", "tired");
        ClientMessage.RequestSupport request = connection.expect(ClientMessage.RequestSupport.class);
        assertThat(request.note()).isEqualTo("tired");
        connection.send(new ServerMessage.SupportQueued(request.ref(), "r-1", "diabetes", "en", 1, 30, false));
        assertThat(requesting.get(5, TimeUnit.SECONDS).requestId()).isEqualTo("r-1");

        CompletableFuture<Void> rating = client.rateSession("s-1", 5, null);
        ClientMessage.RateSession rate = connection.expect(ClientMessage.RateSession.class);
        connection.send(new ServerMessage.Done(rate.ref(), "rate_session"));
        rating.get(5, TimeUnit.SECONDS);

        CompletableFuture<Void> ending = client.endSession("s-2");
        ClientMessage.EndSession end = connection.expect(ClientMessage.EndSession.class);
        connection.send(ServerMessage.Error.of(end.ref(), ErrorCode.SESSION_NOT_FOUND, "no session 's-2' of yours"));
        assertThatThrownBy(() -> ending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.SESSION_NOT_FOUND));
        assertThat(events.log).noneMatch(line -> line.startsWith("status") || line.startsWith("done"));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Safety

    @Test
    void deliversCrisisSupportAndAlertsToTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        CrisisResource line = new CrisisResource("Samaritans", "116 123", "Any time, day or night");

        connection.send(new ServerMessage.CrisisSupport(
                "room", 7, "You are not alone.", List.of(line), List.of("moderators"), null));
        connection.send(new ServerMessage.Alert("al-1", "crisis", message("room", 7), "en", "end it all", 1000));

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "crisis support room 7 You are not alone. [Samaritans 116 123]", "alert al-1 crisis room 7"));
    }

    @Test
    void deliversSafetyEventsWithoutRefToTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.AlertAcked(null, "al-1", BOB, 2000, 1000, true));
        connection.send(new ServerMessage.ReportFiled(reportInfo("rep-1")));
        connection.send(new ServerMessage.ReportResolved(null, "rep-1", BOB, "warned"));

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "alert acked al-1 by Bob", "report filed rep-1 spam", "report resolved rep-1 warned"));
    }

    @Test
    void completesAReportWithTheReportReceived() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.ReportReceived> reporting = client.report("room", 7, "harassment", "rude");
        ClientMessage.Report report = connection.expect(ClientMessage.Report.class);
        assertThat(report).isEqualTo(new ClientMessage.Report(report.ref(), "room", 7L, "harassment", "rude"));
        connection.send(new ServerMessage.ReportReceived(report.ref(), "rep-1"));

        assertThat(reporting.get(5, TimeUnit.SECONDS).reportId()).isEqualTo("rep-1");

        CompletableFuture<ServerMessage.ReportReceived> gone = client.report("room", 1, "spam", null);
        ClientMessage.Report second = connection.expect(ClientMessage.Report.class);
        connection.send(ServerMessage.Error.of(second.ref(), ErrorCode.MESSAGE_NOT_FOUND, "no message 1 in room"));
        assertThatThrownBy(() -> gone.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.MESSAGE_NOT_FOUND));
    }

    @Test
    void completesModeratorCommandsWithTheirRepliesAndNotTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.AlertAcked> acking = client.ackAlert("al-1");
        ClientMessage.AckAlert ack = connection.expect(ClientMessage.AckAlert.class);
        assertThat(ack.alertId()).isEqualTo("al-1");
        connection.send(new ServerMessage.AlertAcked(ack.ref(), "al-1", BOB, 2000, 1500, false));
        assertThat(acking.get(5, TimeUnit.SECONDS)).satisfies(acked -> {
            assertThat(acked.first()).isFalse();
            assertThat(acked.by()).isEqualTo(BOB);
        });

        CompletableFuture<List<ServerMessage.Alert>> missed = client.listAlerts();
        ClientMessage.ListAlerts listAlerts = connection.expect(ClientMessage.ListAlerts.class);
        connection.send(new ServerMessage.Alerts(
                listAlerts.ref(),
                List.of(new ServerMessage.Alert(
                        "al-2",
                        "crisis",
                        new ServerMessage.ChatMessage("room", 7, "m-7", BOB, "words", 900, "c-7"),
                        "en",
                        "rule",
                        900))));
        assertThat(missed.get(5, TimeUnit.SECONDS))
                .extracting(ServerMessage.Alert::alertId)
                .containsExactly("al-2");

        CompletableFuture<List<ServerMessage.ReportInfo>> listing = client.listReports();
        ClientMessage.ListReports list = connection.expect(ClientMessage.ListReports.class);
        connection.send(new ServerMessage.Reports(list.ref(), List.of(reportInfo("rep-1"), reportInfo("rep-2"))));
        assertThat(listing.get(5, TimeUnit.SECONDS))
                .extracting(ServerMessage.ReportInfo::reportId)
                .containsExactly("rep-1", "rep-2");

        CompletableFuture<ServerMessage.ReportResolved> resolving = client.resolveReport("rep-1", "warned");
        ClientMessage.ResolveReport resolve = connection.expect(ClientMessage.ResolveReport.class);
        assertThat(resolve.resolution()).isEqualTo("warned");
        connection.send(new ServerMessage.ReportResolved(resolve.ref(), "rep-1", ALICE, "warned"));
        assertThat(resolving.get(5, TimeUnit.SECONDS).by()).isEqualTo(ALICE);

        CompletableFuture<List<ServerMessage.AuditEntry>> reading = client.auditLog(10);
        ClientMessage.ReadAudit read = connection.expect(ClientMessage.ReadAudit.class);
        assertThat(read.limit()).isEqualTo(10);
        connection.send(new ServerMessage.AuditEntries(
                read.ref(),
                List.of(
                        new ServerMessage.AuditEntry(3000, ALICE, "report_resolved", BOB, "room", "rep-1", "warned"),
                        new ServerMessage.AuditEntry(1000, null, "alert_raised", BOB, "room", "al-1", null))));
        assertThat(reading.get(5, TimeUnit.SECONDS))
                .extracting(ServerMessage.AuditEntry::action)
                .containsExactly("report_resolved", "alert_raised");

        assertThat(events.log).noneMatch(line -> line.startsWith("alert acked") || line.startsWith("report"));
    }

    @Test
    void deliversASanctionedEventToTheMemberWithWhatHappenedAndWhy() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.Sanctioned(null, timeout("sn-1")));
        connection.send(new ServerMessage.SanctionLifted(null, "sn-1", "timeout"));

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "sanctioned sn-1 timeout until=2000 by Carol: Please keep it kind.",
                        "sanction lifted sn-1 timeout"));
        assertThat(events.sanctions).containsExactly(new ServerMessage.Sanctioned(null, timeout("sn-1")));
    }

    @Test
    void completesSanctionAndLiftWithTheirRepliesAndNotTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.SanctionInfo> sanctioning =
                client.sanction("u2", "timeout", null, "Please keep it kind.", 600L);
        ClientMessage.Sanction sanction = connection.expect(ClientMessage.Sanction.class);
        assertThat(sanction)
                .isEqualTo(new ClientMessage.Sanction(
                        sanction.ref(), "u2", "timeout", null, "Please keep it kind.", 600L));
        connection.send(new ServerMessage.Sanctioned(sanction.ref(), timeout("sn-1")));
        assertThat(sanctioning.get(5, TimeUnit.SECONDS)).isEqualTo(timeout("sn-1"));

        CompletableFuture<Void> lifting = client.liftSanction("sn-1", "apologised");
        ClientMessage.LiftSanction lift = connection.expect(ClientMessage.LiftSanction.class);
        assertThat(lift).isEqualTo(new ClientMessage.LiftSanction(lift.ref(), "sn-1", "apologised"));
        connection.send(new ServerMessage.SanctionLifted(lift.ref(), "sn-1", "timeout"));
        assertThat(lifting.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> gone = client.liftSanction("sn-1", null);
        ClientMessage.LiftSanction again = connection.expect(ClientMessage.LiftSanction.class);
        connection.send(ServerMessage.Error.of(again.ref(), ErrorCode.SANCTION_NOT_FOUND, "no sanction 'sn-1'"));
        assertThatThrownBy(() -> gone.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.SANCTION_NOT_FOUND));

        assertThat(events.log).noneMatch(line -> line.startsWith("sanction"));
    }

    @Test
    void deliversMessageDeletedToTheListenerAndTombstonesInPagesOnlyOnce() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, "room", "e1", 3, 1, 2, 3);

        first.send(new ServerMessage.MessageDeleted("room", 2, "m2", "Off topic."));
        await().untilAsserted(() -> assertThat(events.log).contains("message deleted room 2 m2 Off topic."));
        assertThat(events.deletions).containsExactly(new ServerMessage.MessageDeleted("room", 2, "m2", "Off topic."));

        // After a reconnect the server's page holds the tombstone of 2 (already delivered: not again) and of 4 (new).
        first.close(4000, "server shutting down");
        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        assertThat(rejoin.since()).isEqualTo(3);
        second.send(new Joined(
                rejoin.ref(),
                "room",
                "e1",
                5,
                false,
                List.of(
                        message("room", 1),
                        message("room", 2).tombstone(),
                        message("room", 3),
                        message("room", 4).tombstone(),
                        message("room", 5)),
                false,
                List.of()));
        await().untilAsserted(() -> assertThat(events.log).contains("resumed room recovered=false"));

        assertThat(events.seqs("room")).containsExactly(1L, 2L, 3L, 4L, 5L);
        assertThat(events.messages)
                .filteredOn(ChatMessage::isDeleted)
                .singleElement()
                .satisfies(tombstone -> {
                    assertThat(tombstone.seq()).isEqualTo(4);
                    assertThat(tombstone.text()).isEmpty();
                });
        assertThat(events.deletions).hasSize(1);
    }

    @Test
    void completesDeleteBlockAndUnblockWithDoneAndNotTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<Void> deleting = client.deleteMessage("room", 7, "Dangerous advice.");
        ClientMessage.DeleteMessage delete = connection.expect(ClientMessage.DeleteMessage.class);
        assertThat(delete).isEqualTo(new ClientMessage.DeleteMessage(delete.ref(), "room", 7L, "Dangerous advice."));
        connection.send(new ServerMessage.Done(delete.ref(), "delete_message"));
        assertThat(deleting.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> blocking = client.block("u2", "Keeps replying to me.");
        ClientMessage.Block block = connection.expect(ClientMessage.Block.class);
        assertThat(block).isEqualTo(new ClientMessage.Block(block.ref(), "u2", "Keeps replying to me."));
        connection.send(new ServerMessage.Done(block.ref(), "block"));
        assertThat(blocking.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> unblocking = client.unblock("u2");
        ClientMessage.Unblock unblock = connection.expect(ClientMessage.Unblock.class);
        assertThat(unblock).isEqualTo(new ClientMessage.Unblock(unblock.ref(), "u2"));
        connection.send(new ServerMessage.Done(unblock.ref(), "unblock"));
        assertThat(unblocking.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> refused = client.deleteMessage("room", 1, "why");
        ClientMessage.DeleteMessage again = connection.expect(ClientMessage.DeleteMessage.class);
        connection.send(ServerMessage.Error.of(again.ref(), ErrorCode.FORBIDDEN, "moderators only"));
        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.FORBIDDEN));

        assertThat(events.log).noneMatch(line -> line.startsWith("done"));
    }

    @Test
    void readsTheModeratorQueuesAPageAtATimeAndDeliversAppealsAndCheckIns() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<ServerMessage.HeldMessages> held = client.listHeld(null, 2);
        ClientMessage.ListHeld list = connection.expect(ClientMessage.ListHeld.class);
        assertThat(list).isEqualTo(new ClientMessage.ListHeld(list.ref(), null, 2));
        connection.send(new ServerMessage.HeldMessages(list.ref(), List.of(), "next-page"));
        assertThat(held.get(5, TimeUnit.SECONDS).nextCursor()).isEqualTo("next-page");

        CompletableFuture<ServerMessage.MemberHistoryPage> history =
                client.memberHistory("u-1", List.of("sanction_applied"), 10L, null, "next-page", null);
        ClientMessage.MemberHistory asked = connection.expect(ClientMessage.MemberHistory.class);
        assertThat(asked.actions()).containsExactly("sanction_applied");
        assertThat(asked.cursor()).isEqualTo("next-page");
        connection.send(new ServerMessage.MemberHistoryPage(asked.ref(), "u-1", List.of(), null));
        assertThat(history.get(5, TimeUnit.SECONDS).userId()).isEqualTo("u-1");

        CompletableFuture<String> appeal = client.appeal("sn-1", "I was quoting my doctor");
        ClientMessage.Appeal sent = connection.expect(ClientMessage.Appeal.class);
        connection.send(new ServerMessage.AppealReceived(sent.ref(), "ap-1"));
        assertThat(appeal.get(5, TimeUnit.SECONDS)).isEqualTo("ap-1");
        connection.send(new ServerMessage.AppealDecided(null, "ap-1", "sn-1", "lifted", "Thanks"));
        connection.send(new ServerMessage.CheckInOffer("ci-1", ALICE, "Alice would like to talk"));
        await().untilAsserted(() -> assertThat(events.log).contains("appeal ap-1 lifted", "check-in ci-1 from Alice"));

        CompletableFuture<java.util.Optional<ServerMessage.SessionStarted>> accepted =
                client.answerCheckIn("ci-1", true);
        ClientMessage.AnswerCheckIn answer = connection.expect(ClientMessage.AnswerCheckIn.class);
        connection.send(
                new ServerMessage.SessionStarted(answer.ref(), "s-1", "ci-1", BOB, ALICE, "check_in", "en", false));
        assertThat(accepted.get(5, TimeUnit.SECONDS))
                .map(ServerMessage.SessionStarted::condition)
                .contains("check_in");

        CompletableFuture<java.util.Optional<ServerMessage.SessionStarted>> declined =
                client.answerCheckIn("ci-2", false);
        ClientMessage.AnswerCheckIn no = connection.expect(ClientMessage.AnswerCheckIn.class);
        connection.send(new ServerMessage.Done(no.ref(), "answer_check_in"));
        assertThat(declined.get(5, TimeUnit.SECONDS)).isEmpty();

        assertThatThrownBy(() -> client.listHeld(null, 201))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("field 'limit' must be 1 to 200");
    }

    @Test
    void deliversHeldMessagesToTheModeratorsListenerAndCompletesAReviewWithDone() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.HeldMessage(
                "h-1", "medication", BOB, "I take 500 mg twice a day", "c-9", "hold_doses", 5000));
        await().untilAsserted(() -> assertThat(events.held)
                .containsExactly(new ServerMessage.HeldMessage(
                        "h-1", "medication", BOB, "I take 500 mg twice a day", "c-9", "hold_doses", 5000)));
        assertThat(events.log).contains("held h-1 medication Bob c-9 hold_doses");

        CompletableFuture<Void> approving = client.reviewHeld("h-1", true, null);
        ClientMessage.ReviewHeld review = connection.expect(ClientMessage.ReviewHeld.class);
        assertThat(review).isEqualTo(new ClientMessage.ReviewHeld(review.ref(), "h-1", true, null));
        connection.send(new ServerMessage.Done(review.ref(), "review_held"));
        assertThat(approving.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> late = client.reviewHeld("h-1", false, "Ask your care team.");
        ClientMessage.ReviewHeld again = connection.expect(ClientMessage.ReviewHeld.class);
        assertThat(again).isEqualTo(new ClientMessage.ReviewHeld(again.ref(), "h-1", false, "Ask your care team."));
        connection.send(ServerMessage.Error.of(again.ref(), ErrorCode.HELD_NOT_FOUND, "already reviewed"));
        assertThatThrownBy(() -> late.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.HELD_NOT_FOUND));

        assertThat(events.log).noneMatch(line -> line.startsWith("done") || line.startsWith("error"));
    }

    @Test
    void failsAHeldSendAtOnceWithoutRetryingItAndDeliversItIfApproved() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, "medication", "e1", 0);

        CompletableFuture<Ack> sending = client.send("medication", "c-held", "I take 500 mg twice a day");
        ClientMessage.Send sent = connection.expect(ClientMessage.Send.class);
        connection.send(ServerMessage.Error.of(
                sent.ref(),
                ErrorCode.HELD_FOR_REVIEW,
                "this room holds messages that name a dose for a moderator's review"));

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(KindredException.class, e -> {
                    assertThat(e.errorCode()).contains(ErrorCode.HELD_FOR_REVIEW);
                    assertThat(e.code()).isEqualTo("held_for_review");
                    assertThat(e.retryable()).isFalse();
                });
        connection.expectNothingFor(Duration.ofMillis(600)); // not sent again
        assertThat(events.log).doesNotContain("error held_for_review"); // the future had it, not the listener

        // approved: it arrives as a normal message, with the same clientMsgId
        connection.send(new ChatMessage("medication", 1, "m1", ALICE, "I take 500 mg twice a day", 6000, "c-held"));
        await().untilAsserted(() ->
                assertThat(events.messages).extracting(ChatMessage::clientMsgId).containsExactly("c-held"));

        // later sends go out as usual
        CompletableFuture<Ack> next = client.send("medication", "c-next", "thanks");
        ClientMessage.Send nextSent = connection.expect(ClientMessage.Send.class);
        assertThat(nextSent.clientMsgId()).isEqualTo("c-next");
        connection.send(new Ack(nextSent.ref(), "medication", "c-next", "m2", 2, 7000, false));
        assertThat(next.get(5, TimeUnit.SECONDS).seq()).isEqualTo(2);
    }

    @Test
    void deliversMessageRejectedToTheAuthorsListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.MessageRejected("medication", "c-held", "Ask your care team."));
        connection.send(new ServerMessage.MessageRejected("medication", "c-other", null));

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "rejected medication c-held Ask your care team.", "rejected medication c-other null"));
    }

    @Test
    void stopsAfterAServiceBan() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        ServerMessage.SanctionInfo ban =
                new ServerMessage.SanctionInfo("sn-2", "u1", "service_ban", null, "Spam.", CAROL, 1000, null);

        connection.send(new ServerMessage.Sanctioned(null, ban));
        connection.close(4102, "banned");

        await().untilAsserted(() -> assertThat(events.log)
                .containsSubsequence(
                        "sanctioned sn-2 service_ban until=null by Carol: Spam.",
                        "disconnected 4102 banned reconnect=false"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.accepted() == 1);
    }

    @Test
    void aHelloRefusedForASanctionFailsConnectAndDoesNotReconnect() throws Exception {
        client = client(server.url());
        CompletableFuture<Welcome> connecting = client.connect();
        FakeKindredServer.Connection connection = server.nextConnection();
        ClientMessage.Hello hello = connection.expect(ClientMessage.Hello.class);

        connection.send(ServerMessage.Error.of(hello.ref(), ErrorCode.SANCTIONED, "banned until lifted"));
        connection.close(4102, "banned");

        assertThatThrownBy(() -> connecting.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.SANCTIONED));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> server.accepted() == 1);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Facilitated group sessions

    @Test
    void createGroupSendsUtcTimesAndCompletesWithTheGroup() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        Instant parisEvening = ZonedDateTime.of(2026, 12, 3, 19, 0, 0, 250_000_000, ZoneId.of("Europe/Paris"))
                .toInstant();

        CompletableFuture<ServerMessage.GroupInfo> creating = client.createGroup(
                GroupSchedule.of("Long COVID evening circle", "long-covid", parisEvening, Duration.ofHours(1))
                        .withWeekly(true)
                        .withTimeZone(ZoneId.of("Europe/Paris"))
                        .withCapacity(12));
        ClientMessage.CreateGroup create = connection.expect(ClientMessage.CreateGroup.class);
        connection.send(new ServerMessage.Group(create.ref(), GROUP_INFO));

        assertThat(create.startsAt()).isEqualTo("2026-12-03T18:00:00Z");
        assertThat(create.durationMinutes()).isEqualTo(60);
        assertThat(create.recurrence()).isEqualTo("weekly");
        assertThat(create.timeZone()).isEqualTo("Europe/Paris");
        assertThat(create.capacity()).isEqualTo(12);
        assertThat(creating.get(5, TimeUnit.SECONDS)).isEqualTo(GROUP_INFO);
    }

    @Test
    void completesGroupCommandsWithTheirRepliesAndNotTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        CompletableFuture<List<ServerMessage.GroupInfo>> listing = client.listGroups("long-covid");
        ClientMessage.ListGroups list = connection.expect(ClientMessage.ListGroups.class);
        assertThat(list.topic()).isEqualTo("long-covid");
        connection.send(new ServerMessage.GroupList(list.ref(), List.of(GROUP_INFO)));
        assertThat(listing.get(5, TimeUnit.SECONDS)).containsExactly(GROUP_INFO);

        CompletableFuture<ServerMessage.GroupInfo> registering = client.registerGroup(GROUP);
        ClientMessage.RegisterGroup register = connection.expect(ClientMessage.RegisterGroup.class);
        connection.send(new ServerMessage.Group(register.ref(), GROUP_INFO));
        assertThat(registering.get(5, TimeUnit.SECONDS).youAreRegistered()).isTrue();

        CompletableFuture<ServerMessage.GroupInfo> skipping =
                client.cancelMeeting(GROUP, Instant.parse("2026-12-24T18:00:00Z"), "No meeting on Christmas Eve.");
        ClientMessage.CancelGroup cancel = connection.expect(ClientMessage.CancelGroup.class);
        assertThat(cancel.occurrence()).isEqualTo("2026-12-24T18:00:00Z");
        connection.send(new ServerMessage.Group(cancel.ref(), GROUP_INFO));
        assertThat(skipping.get(5, TimeUnit.SECONDS)).isEqualTo(GROUP_INFO);

        CompletableFuture<Void> opening = client.openGroup(GROUP);
        ClientMessage.OpenGroup open = connection.expect(ClientMessage.OpenGroup.class);
        connection.send(new ServerMessage.Done(open.ref(), "open_group", null));
        assertThat(opening.get(5, TimeUnit.SECONDS)).isNull();

        CompletableFuture<Void> slowing = client.setGroupChat(GROUP, null, Duration.ofSeconds(30), null);
        ClientMessage.SetGroupChat chat = connection.expect(ClientMessage.SetGroupChat.class);
        assertThat(chat.slowModeSeconds()).isEqualTo(30);
        connection.send(new ServerMessage.Done(chat.ref(), "set_group_chat", null));
        slowing.get(5, TimeUnit.SECONDS);

        ServerMessage.Attendance attendance = new ServerMessage.Attendance(
                null,
                GROUP,
                GROUP_ROOM,
                "2026-12-03T18:00:00Z",
                "2026-12-03T18:01:00Z",
                "2026-12-03T19:00:00Z",
                List.of(new ServerMessage.Attendee(BOB, "2026-12-03T17:50:00Z", "2026-12-03T19:00:00Z", 3540)));
        CompletableFuture<ServerMessage.Attendance> reading =
                client.attendance(GROUP, Instant.parse("2026-12-03T18:00:00Z"));
        ClientMessage.ReadAttendance read = connection.expect(ClientMessage.ReadAttendance.class);
        assertThat(read.occurrence()).isEqualTo("2026-12-03T18:00:00Z");
        connection.send(new ServerMessage.Attendance(
                read.ref(),
                GROUP,
                GROUP_ROOM,
                attendance.startsAt(),
                attendance.openedAt(),
                attendance.closedAt(),
                attendance.attendees()));
        assertThat(reading.get(5, TimeUnit.SECONDS).attendees())
                .extracting(ServerMessage.Attendee::presentSeconds)
                .containsExactly(3540L);

        CompletableFuture<Void> raising = client.raiseHand(GROUP);
        ClientMessage.RaiseHand raise = connection.expect(ClientMessage.RaiseHand.class);
        connection.send(ServerMessage.Error.of(raise.ref(), ErrorCode.GROUP_NOT_OPEN, "the meeting has not opened"));
        assertThatThrownBy(() -> raising.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(
                        KindredException.class, e -> assertThat(e.errorCode()).contains(ErrorCode.GROUP_NOT_OPEN));

        assertThat(events.log).noneMatch(line -> line.startsWith("done") || line.startsWith("error"));
    }

    @Test
    void deliversGroupEventsToTheListener() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();

        connection.send(new ServerMessage.GroupReminder(GROUP_INFO, 600));
        connection.send(new ServerMessage.GroupChanged(
                GROUP_INFO, "occurrence_cancelled", "2026-12-24T18:00:00Z", "No meeting on Christmas Eve."));

        await().untilAsserted(
                        () -> assertThat(events.log)
                                .containsSubsequence(
                                        "group reminder g-5b7e21 in 600 s",
                                        "group changed g-5b7e21 occurrence_cancelled 2026-12-24T18:00:00Z No meeting on Christmas Eve."));
    }

    @Test
    void keepsTheLatestGroupStatePerRoom() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, GROUP_ROOM, "e1", 0);
        join(connection, OTHER_GROUP_ROOM, "e1", 0);
        ServerMessage.GroupState lobby = groupState(GROUP_ROOM, "lobby", List.of());
        ServerMessage.GroupState open = groupState(GROUP_ROOM, "open", List.of(BOB));
        ServerMessage.GroupState other = groupState(OTHER_GROUP_ROOM, "lobby", List.of());

        connection.send(lobby);
        connection.send(other);
        connection.send(open);
        connection.send(groupState("g-never-joined-20261203t1800z", "open", List.of()));

        // Frames are handled in order: once the last one reached the listener, every state was taken in.
        await().untilAsserted(() -> assertThat(events.log).contains("group state g-never-joined-20261203t1800z open"));
        assertThat(client.groupState(GROUP_ROOM)).contains(open);
        assertThat(client.groupState(OTHER_GROUP_ROOM)).contains(other);
        assertThat(client.groupState("g-never-joined-20261203t1800z")).isEmpty();

        CompletableFuture<Void> leaving = client.leave(GROUP_ROOM);
        ClientMessage.Leave leave = connection.expect(ClientMessage.Leave.class);
        connection.send(new ServerMessage.Left(leave.ref(), GROUP_ROOM));
        leaving.get(5, TimeUnit.SECONDS);

        assertThat(client.groupState(GROUP_ROOM)).isEmpty();
        assertThat(client.groupState(OTHER_GROUP_ROOM)).contains(other);
    }

    @Test
    void doesNotRejoinARoomItWasRemovedFrom() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, GROUP_ROOM, "e1", 0);
        join(first, "diabetes", "e1", 0);
        first.send(groupState(GROUP_ROOM, "open", List.of()));
        await().until(() -> client.groupState(GROUP_ROOM).isPresent());
        CompletableFuture<Ack> inFlight = client.send(GROUP_ROOM, "one");
        first.expect(ClientMessage.Send.class);
        CompletableFuture<Ack> queued = client.send(GROUP_ROOM, "two"); // waits behind the first

        first.send(new ServerMessage.RemovedFromGroup(GROUP, GROUP_ROOM, "Please keep it kind.", true));

        for (CompletableFuture<Ack> send : List.of(inFlight, queued)) {
            assertThatThrownBy(() -> send.get(5, TimeUnit.SECONDS))
                    .cause()
                    .isInstanceOfSatisfying(KindredException.class, e -> {
                        assertThat(e.errorCode()).contains(ErrorCode.REMOVED_FROM_GROUP);
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains(GROUP_ROOM, "Please keep it kind.");
                    });
        }
        await().untilAsserted(() ->
                assertThat(events.log).contains("removed from " + GROUP_ROOM + " banned=true Please keep it kind."));
        assertThat(client.groupState(GROUP_ROOM)).isEmpty();
        first.expectNothingFor(Duration.ofMillis(300)); // the queued send does not go out

        first.kill();
        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        assertThat(rejoin.room()).isEqualTo("diabetes");
        second.send(joined(rejoin.ref(), "diabetes", "e1", 0, true));
        second.expectNothingFor(Duration.ofMillis(500));
        await().untilAsserted(() ->
                assertThat(events.log).containsSubsequence("resumed diabetes recovered=true", "connected"));
        assertThat(events.log).noneMatch(line -> line.startsWith("resumed " + GROUP_ROOM));
    }

    @Test
    void forgetsAMeetingThatClosedWhileTheClientWasAway() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection first = connect();
        join(first, GROUP_ROOM, "e1", 0);
        first.send(groupState(GROUP_ROOM, "open", List.of()));
        await().until(() -> client.groupState(GROUP_ROOM).isPresent());

        first.kill();
        FakeKindredServer.Connection second = welcome(server.nextConnection());
        ClientMessage.Join rejoin = second.expect(ClientMessage.Join.class);
        second.send(ServerMessage.Error.of(rejoin.ref(), ErrorCode.GROUP_CLOSED, "the meeting has closed"));

        await().untilAsserted(() -> assertThat(events.log).containsSubsequence("error group_closed", "connected"));
        assertThat(client.groupState(GROUP_ROOM)).isEmpty();
        second.kill();
        FakeKindredServer.Connection third = welcome(server.nextConnection());
        third.expectNothingFor(Duration.ofMillis(300)); // no join of the closed meeting's room
    }

    @Test
    void slowModeRefusalFailsTheSendWithItsRetryDelay() throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, GROUP_ROOM, "e1", 0);

        CompletableFuture<Ack> sending = client.send(GROUP_ROOM, "c-slow", "me too");
        ClientMessage.Send sent = connection.expect(ClientMessage.Send.class);
        connection.send(new ServerMessage.Error(sent.ref(), "slow_mode", "one message per 30 s", false, 12_000L));

        assertThatThrownBy(() -> sending.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(KindredException.class, e -> {
                    assertThat(e.errorCode()).contains(ErrorCode.SLOW_MODE);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.retryAfterMs()).hasValue(12_000L);
                });
        connection.expectNothingFor(Duration.ofMillis(600)); // not sent again by itself
        assertThat(events.log).doesNotContain("error slow_mode"); // the future had it, not the listener
    }

    @ParameterizedTest
    @EnumSource(
            value = ErrorCode.class,
            names = {
                "MUTED",
                "CHAT_LOCKED",
                "SLOW_MODE",
                "NOT_YOUR_TURN",
                "LISTEN_ONLY",
                "GROUP_NOT_OPEN",
                "GROUP_CLOSED"
            })
    void aGroupRefusalFailsOnlyThatSendAndTheRoomsNextSendGoesOut(ErrorCode code) throws Exception {
        client = client(server.url());
        FakeKindredServer.Connection connection = connect();
        join(connection, GROUP_ROOM, "e1", 0);
        CompletableFuture<Ack> refused = client.send(GROUP_ROOM, "c-1", "first");
        CompletableFuture<Ack> next = client.send(GROUP_ROOM, "c-2", "second");

        ClientMessage.Send first = connection.expect(ClientMessage.Send.class);
        connection.send(ServerMessage.Error.of(first.ref(), code, "refused by the meeting's rules"));

        assertThatThrownBy(() -> refused.get(5, TimeUnit.SECONDS))
                .cause()
                .isInstanceOfSatisfying(KindredException.class, e -> {
                    assertThat(e.errorCode()).contains(code);
                    assertThat(e.retryable()).isFalse();
                });
        // The next send goes out at once (no retry timer holds the room) and the refused one never again.
        ClientMessage.Send second = connection.expect(ClientMessage.Send.class);
        assertThat(second.clientMsgId()).isEqualTo("c-2");
        connection.send(new Ack(second.ref(), GROUP_ROOM, "c-2", "m1", 1, 1000, false));
        assertThat(next.get(5, TimeUnit.SECONDS).seq()).isEqualTo(1);
        connection.expectNothingFor(Duration.ofMillis(300));
    }

    private static ServerMessage.GroupState groupState(String room, String phase, List<UserInfo> hands) {
        return new ServerMessage.GroupState(
                room,
                GROUP,
                phase,
                "2026-12-03T18:00:00Z",
                "2026-12-03T19:00:00Z",
                false,
                0,
                true,
                null,
                hands,
                List.of(),
                List.of(),
                List.of(DANA.id()),
                null,
                hands.size());
    }

    // ---------------------------------------------------------------------------------------------------------------

    private static ServerMessage.SanctionInfo timeout(String sanctionId) {
        return new ServerMessage.SanctionInfo(
                sanctionId, "u1", "timeout", null, "Please keep it kind.", CAROL, 1000, 2000L);
    }

    private KindredClient.Builder builder(URI url) {
        return KindredClient.builder()
                .url(url)
                .token("token")
                .listener(events)
                .reconnect(FAST)
                .requestTimeout(Duration.ofSeconds(3))
                .random(new SplittableRandom(1));
    }

    private KindredClient client(URI url) {
        return builder(url).build();
    }

    /** Connects the client and answers its hello. */
    private FakeKindredServer.Connection connect() throws Exception {
        CompletableFuture<Welcome> connecting = client.connect();
        FakeKindredServer.Connection connection = welcome(server.nextConnection());
        connecting.get(5, TimeUnit.SECONDS);
        return connection;
    }

    private static FakeKindredServer.Connection welcome(FakeKindredServer.Connection connection) throws Exception {
        connection.send(welcome(connection.expect(ClientMessage.Hello.class).ref()));
        return connection;
    }

    private void join(FakeKindredServer.Connection connection, String room, String epoch, long lastSeq, long... seqs)
            throws Exception {
        CompletableFuture<Joined> joining = client.join(room);
        ClientMessage.Join join = connection.expect(ClientMessage.Join.class);
        assertThat(join.since()).isNull();
        connection.send(joined(join.ref(), room, epoch, lastSeq, false, seqs));
        joining.get(5, TimeUnit.SECONDS);
        assertThat(events.seqs(room))
                .containsExactly(Arrays.stream(seqs).boxed().toArray(Long[]::new));
    }

    private static Welcome welcome(String ref) {
        return new Welcome(ref, 1, ALICE, List.of("member"), new Limits(2000, 65536, 5, 10, 100, 50, 60_000), "s1");
    }

    private static Joined joined(String ref, String room, String epoch, long lastSeq, boolean recovered, long... seqs) {
        List<ChatMessage> messages =
                Arrays.stream(seqs).mapToObj(seq -> message(room, seq)).toList();
        return new Joined(ref, room, epoch, lastSeq, recovered, messages, false, List.of());
    }

    private static ChatMessage message(String room, long seq) {
        return new ChatMessage(room, seq, "m" + seq, ALICE, "text " + seq, 1000 + seq, "c" + seq);
    }

    private static ServerMessage.SessionStarted sessionStarted(String ref) {
        return new ServerMessage.SessionStarted(ref, "s-1", "r-1", BOB, ALICE, "diabetes", "en", false);
    }

    private static ServerMessage.ReportInfo reportInfo(String reportId) {
        return new ServerMessage.ReportInfo(
                reportId,
                "spam",
                null,
                message("room", 7),
                List.of(message("room", 6)),
                ALICE,
                1000,
                "open",
                null,
                null,
                ALICE.id());
    }

    private static URI unreachableUrl() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return URI.create("ws://127.0.0.1:" + socket.getLocalPort() + "/ws");
        }
    }

    /** Records what the listener saw, as short lines, plus the messages themselves. */
    private static final class Recorder implements KindredListener {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<ChatMessage> messages = new CopyOnWriteArrayList<>();
        final List<ServerMessage.Sanctioned> sanctions = new CopyOnWriteArrayList<>();
        final List<ServerMessage.MessageDeleted> deletions = new CopyOnWriteArrayList<>();
        final List<ServerMessage.HeldMessage> held = new CopyOnWriteArrayList<>();

        List<Long> seqs(String room) {
            return messages.stream()
                    .filter(m -> m.room().equals(room))
                    .map(ChatMessage::seq)
                    .toList();
        }

        @Override
        public void onMessage(ChatMessage message) {
            messages.add(message);
        }

        @Override
        public void onMessageDeleted(ServerMessage.MessageDeleted event) {
            deletions.add(event);
            log.add("message deleted " + event.room() + " " + event.seq() + " " + event.id() + " " + event.reason());
        }

        @Override
        public void onError(ServerMessage.Error error) {
            log.add("error " + error.code());
        }

        @Override
        public void onConnected(Welcome welcome) {
            log.add("connected");
        }

        @Override
        public void onDisconnected(int closeCode, String reason, boolean willReconnect) {
            log.add("disconnected " + closeCode + " " + reason + " reconnect=" + willReconnect);
        }

        @Override
        public void onResumed(String room, boolean recovered) {
            log.add("resumed " + room + " recovered=" + recovered);
        }

        @Override
        public void onAvailabilityRestored(Availability availability) {
            log.add("availability restored active=" + availability.activeSessions());
        }

        @Override
        public void onSupportStatus(ServerMessage.SupportQueued status) {
            log.add("status " + status.requestId() + " position=" + status.position());
        }

        @Override
        public void onSupportCancelled(ServerMessage.SupportCancelled event) {
            log.add("cancelled " + event.requestId() + " " + event.reason());
        }

        @Override
        public void onOffer(ServerMessage.SupportOffer offer) {
            log.add("offer " + offer.requestId() + " from " + offer.member().pseudonym());
        }

        @Override
        public void onOfferWithdrawn(ServerMessage.OfferWithdrawn event) {
            log.add("offer withdrawn " + event.requestId() + " " + event.reason());
        }

        @Override
        public void onAppealDecided(ServerMessage.AppealDecided event) {
            log.add("appeal " + event.appealId() + " " + event.outcome());
        }

        @Override
        public void onCheckInOffer(ServerMessage.CheckInOffer event) {
            log.add("check-in " + event.checkInId() + " from "
                    + event.moderator().pseudonym());
        }

        @Override
        public void onSessionStarted(ServerMessage.SessionStarted event) {
            log.add("session started " + event.sessionId() + " mentor="
                    + event.mentor().pseudonym());
        }

        @Override
        public void onHandoffProposed(ServerMessage.HandoffProposed event) {
            log.add("handoff proposed " + event.sessionId());
        }

        @Override
        public void onSessionEnded(ServerMessage.SessionEnded event) {
            log.add("session ended " + event.sessionId() + " " + event.reason());
        }

        @Override
        public void onDone(ServerMessage.Done event) {
            log.add("done " + event.command());
        }

        @Override
        public void onCrisisSupport(ServerMessage.CrisisSupport event) {
            log.add("crisis support " + event.room() + " " + event.seq() + " " + event.message() + " "
                    + event.resources().stream()
                            .map(r -> r.name() + " " + r.contact())
                            .toList());
        }

        @Override
        public void onAlert(ServerMessage.Alert alert) {
            log.add("alert " + alert.alertId() + " " + alert.kind() + " "
                    + alert.message().room() + " " + alert.message().seq());
        }

        @Override
        public void onAlertAcked(ServerMessage.AlertAcked event) {
            log.add("alert acked " + event.alertId() + " by " + event.by().pseudonym());
        }

        @Override
        public void onReportFiled(ServerMessage.ReportFiled event) {
            log.add("report filed " + event.report().reportId() + " "
                    + event.report().category());
        }

        @Override
        public void onReportResolved(ServerMessage.ReportResolved event) {
            log.add("report resolved " + event.reportId() + " " + event.resolution());
        }

        @Override
        public void onSanctioned(ServerMessage.Sanctioned event) {
            sanctions.add(event);
            ServerMessage.SanctionInfo s = event.sanction();
            log.add("sanctioned " + s.sanctionId() + " " + s.kind() + " until=" + s.until() + " by "
                    + s.by().pseudonym() + ": " + s.reason());
        }

        @Override
        public void onSanctionLifted(ServerMessage.SanctionLifted event) {
            log.add("sanction lifted " + event.sanctionId() + " " + event.kind());
        }

        @Override
        public void onHeldMessage(ServerMessage.HeldMessage event) {
            held.add(event);
            log.add("held " + event.heldId() + " " + event.room() + " "
                    + event.author().pseudonym() + " " + event.clientMsgId() + " " + event.rule());
        }

        @Override
        public void onMessageRejected(ServerMessage.MessageRejected event) {
            log.add("rejected " + event.room() + " " + event.clientMsgId() + " " + event.reason());
        }

        @Override
        public void onGroupChanged(ServerMessage.GroupChanged event) {
            log.add("group changed " + event.group().groupId() + " " + event.change() + " " + event.occurrence() + " "
                    + event.reason());
        }

        @Override
        public void onGroupReminder(ServerMessage.GroupReminder event) {
            log.add("group reminder " + event.group().groupId() + " in " + event.startsInSeconds() + " s");
        }

        @Override
        public void onGroupState(ServerMessage.GroupState event) {
            log.add("group state " + event.room() + " " + event.phase());
        }

        @Override
        public void onRemovedFromGroup(ServerMessage.RemovedFromGroup event) {
            log.add("removed from " + event.room() + " banned=" + event.banned() + " " + event.reason());
        }
    }
}
