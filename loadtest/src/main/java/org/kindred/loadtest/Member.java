package org.kindred.loadtest;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One simulated member: one connection at a time, the rooms it joins, what it received in each
 * ({@link Accounting.ReceiverLog}), and optionally a {@link Publisher}.
 */
final class Member implements WsClient.Listener {

    /** Receives a member's one-to-one support frames (the support scenario), on the connection's event loop. */
    interface SupportListener {
        /** A support frame, an {@code error}, or the {@code joined} of the session room (ref {@code js}). */
        void onSupportFrame(Member m, WsClient c, Frame f);
    }

    /** A member whose joins or sign-in failed for a reason that fails every member alike. */
    static final class FatalException extends RuntimeException {
        FatalException(String message) {
            super(message);
        }
    }

    final Run run;
    final int index;
    final String sub;
    final String pseudonym;
    final URI url;
    final InetAddress source;
    final String[] rooms;
    final Accounting.ReceiverLog[] logs;
    Publisher publisher;
    /** A probe lists the rooms after {@code welcome} instead of joining. */
    boolean probe;

    CompletableFuture<List<Frame.RoomInfo>> roomList;
    /** The role in this member's token: {@code member}, or {@code mentor}. */
    String role = "member";
    /** For the support scenario: who hears the support frames, and the one session room this member is in. */
    volatile SupportListener support;

    volatile Accounting.ReceiverLog sessionLog;

    /** Attempts of a join (or a probe's room list) refused for a passing reason before the member gives up. */
    private static final int MAX_ATTEMPTS = 6;

    private static final long RETRY_BASE_MILLIS = 250;
    private static final long RETRY_MAX_MILLIS = 4_000;

    private volatile String token;
    private volatile WsClient client;
    private volatile CompletableFuture<Member> ready = CompletableFuture.completedFuture(this);
    private volatile CompletableFuture<Void> left;
    private volatile boolean closing;
    private volatile boolean resume;
    private long connectStart;
    private final long[] joinStart;
    /** Retryable refusals of each room's join, and of the probe's room list, on the current connection. */
    private final int[] joinRefusals;

    private int listRefusals;
    private int joined;
    private boolean welcomed;

    Member(Run run, int index, URI url, InetAddress source, List<String> rooms) {
        this.run = run;
        this.index = index;
        this.sub = "lt:" + run.runHex() + ":" + index;
        this.pseudonym = "lt" + run.runHex() + "m" + index;
        this.url = url;
        this.source = source;
        this.rooms = rooms.toArray(String[]::new);
        this.logs = new Accounting.ReceiverLog[this.rooms.length];
        for (int i = 0; i < logs.length; i++) {
            logs[i] = new Accounting.ReceiverLog(this.rooms[i]);
        }
        this.joinStart = new long[this.rooms.length];
        this.joinRefusals = new int[this.rooms.length];
    }

    /**
     * Connects, says hello and joins every room; with {@code resume}, joins with {@code since}/{@code epoch} from what
     * this member already holds. Completes when every room is joined.
     */
    CompletableFuture<Member> connect(boolean resume) {
        this.resume = resume;
        this.closing = false;
        CompletableFuture<Member> done = new CompletableFuture<>();
        ready = done;
        CompletableFuture<String> tokenFuture = token != null
                ? CompletableFuture.completedFuture(token)
                : run.tokens().token(url, sub, pseudonym, role);
        tokenFuture.whenComplete((t, e) -> {
            if (e != null) {
                Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                        ? e.getCause()
                        : e;
                done.completeExceptionally(
                        cause instanceof IllegalStateException ? new FatalException(cause.getMessage()) : cause);
                return;
            }
            token = t;
            WsClient c = new WsClient(this);
            client = c;
            joined = 0;
            welcomed = false;
            connectStart = System.nanoTime();
            if (!probe) {
                run.stats().connectsStarted.increment();
            }
            run.transport().connect(url, source, c).addListener(f -> {
                if (!f.isSuccess()) {
                    done.completeExceptionally(f.cause());
                }
            });
        });
        done.orTimeout(Transport.HANDSHAKE_TIMEOUT_MS + 5_000L, TimeUnit.MILLISECONDS)
                .whenComplete((m, e) -> {
                    if (e != null && !probe) {
                        run.stats().connectFailed.increment();
                    }
                    if (e instanceof java.util.concurrent.TimeoutException) {
                        WsClient c = client;
                        if (c != null) {
                            closing = true;
                            c.drop();
                        }
                    }
                });
        return done;
    }

    CompletableFuture<Member> ready() {
        return ready;
    }

    boolean isOpen() {
        WsClient c = client;
        return c != null && c.isOpen();
    }

    WsClient client() {
        return client;
    }

    /** Ends the connection on purpose: politely, or (drop) without a close frame. */
    void close(boolean drop) {
        closing = true;
        WsClient c = client;
        if (c != null) {
            if (drop) {
                c.drop();
            } else {
                c.closeGracefully();
            }
        }
    }

    /** Sends {@code leave} for every room; completes on the (last) {@code left}. */
    CompletableFuture<Void> leaveAll() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        left = f;
        WsClient c = client;
        if (c == null || !c.isOpen()) {
            f.complete(null);
            return f;
        }
        for (int i = 0; i < rooms.length; i++) {
            c.write(Commands.leave(rooms[i], i));
        }
        c.flush();
        return f;
    }

    @Override
    public void onOpen(WsClient c) {
        c.send(Commands.hello(token));
    }

    @Override
    public void onFrame(WsClient c, Frame f) {
        switch (f.type) {
            case MESSAGE -> {
                if (f.message.lt) {
                    Accounting.ReceiverLog log = logFor(f.message.room);
                    if (log != null) {
                        run.deliver(log, f.message, run.stampNanos());
                    }
                }
            }
            case ACK -> {
                Publisher p = publisher;
                if (p != null) {
                    p.acked(Commands.refNumber(f.ref, 's'), f.seq, f.duplicate);
                }
            }
            case WELCOME -> welcome(c);
            case JOINED -> {
                SupportListener s = support;
                if (s != null && "js".equals(f.ref)) {
                    s.onSupportFrame(this, c, f);
                } else {
                    joined(f);
                }
            }
            case ERROR -> {
                error(f);
                SupportListener s = support;
                if (s != null) {
                    s.onSupportFrame(this, c, f);
                }
            }
            case AVAILABILITY, SUPPORT_QUEUED, SUPPORT_OFFER, SESSION_STARTED, SESSION_ENDED, DONE -> {
                SupportListener s = support;
                if (s != null) {
                    s.onSupportFrame(this, c, f);
                }
            }
            case LEFT -> {
                CompletableFuture<Void> l = left;
                if (l != null && Commands.refNumber(f.ref, 'l') == rooms.length - 1) {
                    l.complete(null);
                }
            }
            case ROOMS -> {
                if (roomList != null) {
                    roomList.complete(List.copyOf(f.rooms));
                    ready.complete(this);
                }
            }
            default -> {
                // presence, typing, pong: not measured
            }
        }
    }

    private void welcome(WsClient c) {
        if (probe) {
            listRefusals = 0;
            c.send(Commands.listRooms());
            return;
        }
        welcomed = true;
        c.welcomed = true;
        run.stats().connected.increment();
        run.stats().open.increment();
        long now = System.nanoTime();
        Stats.record(run.stats().connectTime, (now - connectStart) / 1000);
        for (int i = 0; i < rooms.length; i++) {
            joinStart[i] = now;
            joinRefusals[i] = 0;
            c.write(join(i));
        }
        c.flush();
        if (rooms.length == 0) {
            ready.complete(this);
        }
    }

    private String join(int i) {
        Accounting.ReceiverLog log = logs[i];
        boolean resuming = resume && log.started();
        return Commands.join(rooms[i], i, resuming ? log.maxRoomSeq() : -1, resuming ? log.epoch() : null);
    }

    /** Whether the server refused for a passing reason (an overloaded or cut-off node): the SDK repeats these. */
    private static boolean retryable(String code) {
        return "unavailable".equals(code) || "internal".equals(code) || "rate_limited".equals(code);
    }

    /** Sends a refused command again after a jittered delay that grows with each attempt, as the SDK does. */
    private void resendLater(int attempt, Supplier<String> command) {
        WsClient c = client;
        if (c == null) {
            return;
        }
        long base = Math.min(RETRY_MAX_MILLIS, RETRY_BASE_MILLIS << Math.min(attempt - 1, 16));
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        c.channel()
                .eventLoop()
                .schedule(
                        () -> {
                            if (c == client && c.isOpen()) {
                                c.send(command.get());
                            }
                        },
                        delay,
                        TimeUnit.MILLISECONDS);
    }

    private void joined(Frame f) {
        int i = (int) Commands.refNumber(f.ref, 'j');
        if (i < 0 || i >= rooms.length) {
            return;
        }
        long nowNanos = System.nanoTime();
        Stats.record(run.stats().joinTime, (nowNanos - joinStart[i]) / 1000);
        Accounting.ReceiverLog log = logs[i];
        if (resume && log.started()) {
            run.stats().resumes.increment();
            if (!f.recovered) {
                run.stats().resumesNotRecovered.increment();
            }
            long now = run.stampNanos();
            // Recovered or not, what the server hands back after our last seq is delivered now.
            long since = log.maxRoomSeq();
            for (int k = 0; k < f.messageCount; k++) {
                Frame.Msg m = f.joinedMessage(k);
                if (m.lt && m.seq > since) {
                    run.stats().recoveredMessages.increment();
                    run.deliver(log, m, now);
                }
            }
            log.joined(f.lastSeq, f.epoch);
        } else {
            log.joined(f.lastSeq, f.epoch); // history before our membership is not counted
        }
        if (++joined == rooms.length) {
            ready.complete(this);
        }
    }

    private void error(Frame f) {
        run.stats().error(f.code);
        long pseq = Commands.refNumber(f.ref, 's');
        if (pseq > 0 && publisher != null) {
            publisher.refused(pseq, f.code);
            return;
        }
        if (f.ref != null && f.ref.startsWith("j")) {
            int i = (int) Commands.refNumber(f.ref, 'j');
            boolean known = i >= 0 && i < rooms.length;
            if (known && retryable(f.code) && ++joinRefusals[i] < MAX_ATTEMPTS) {
                run.stats().joinRetries.increment();
                resendLater(joinRefusals[i], () -> join(i));
                return;
            }
            if ("room_not_found".equals(f.code)) {
                String room = known ? rooms[i] : "?";
                ready.completeExceptionally(new FatalException("room '" + room + "' does not exist on " + url
                        + ": use rooms the server has (--room, or --room-prefix lt- with a server started with "
                        + "--config loadtest/rooms-1000.yaml)"));
            } else {
                ready.completeExceptionally(new IllegalStateException("join refused: " + f.code));
            }
        } else if ("r".equals(f.ref) && roomList != null) {
            if (retryable(f.code) && ++listRefusals < MAX_ATTEMPTS) {
                resendLater(listRefusals, Commands::listRooms);
            } else {
                roomList.completeExceptionally(new FatalException("room list refused by " + url + ": " + f.code));
            }
        } else if ("h".equals(f.ref)) {
            ready.completeExceptionally(new FatalException("sign-in refused by " + url + ": " + f.code
                    + (f.code != null && f.code.startsWith("token")
                            ? " (with --jwt-secret, is it the nodes' secret?)"
                            : "")));
        }
    }

    @Override
    public void onBadFrame(WsClient c, Exception e) {
        run.stats().badFrames.increment();
    }

    @Override
    public void onClosed(WsClient c, int closeCode, Throwable cause) {
        if (c.welcomed) {
            run.stats().open.decrement();
        }
        if (c != client) {
            return; // an earlier connection of a member that has already reconnected
        }
        Publisher p = publisher;
        if (p != null) {
            p.pause();
        }
        if (welcomed) {
            if (!closing) {
                run.stats().closedByServer.increment();
                run.stats().closeCode(closeCode);
            }
        }
        if (!ready.isDone()) {
            ready.completeExceptionally(
                    cause != null
                            ? cause
                            : new IllegalStateException(
                                    "connection closed" + (closeCode > 0 ? " with " + closeCode : "")));
        }
        CompletableFuture<Void> l = left;
        if (l != null) {
            l.complete(null);
        }
    }

    private Accounting.ReceiverLog logFor(String room) {
        Accounting.ReceiverLog session = sessionLog;
        if (session != null && session.room.equals(room)) {
            return session;
        }
        if (logs.length == 1) {
            return room != null && room.equals(rooms[0]) ? logs[0] : null;
        }
        for (int i = 0; i < rooms.length; i++) {
            if (rooms[i].equals(room)) {
                return logs[i];
            }
        }
        return null;
    }
}
