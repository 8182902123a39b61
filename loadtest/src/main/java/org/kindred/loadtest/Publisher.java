package org.kindred.loadtest;

import io.netty.channel.Channel;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Posts load-test messages from one member into one room at a set rate, on the member's event loop. A tick adds
 * {@code rate × elapsed} to a credit and sends the whole messages it holds, so the rate holds however coarse the
 * timer; after a stall it catches up by at most one second's worth.
 */
final class Publisher {

    final int id;
    final Member member;
    final String room;
    final Accounting.PublisherLog log;
    private final String clientMsgIdPrefix;
    private volatile double rate;
    private double credit;
    private long lastTick;
    private ScheduledFuture<?> task;

    Publisher(int id, Member member, String room) {
        this.id = id;
        this.member = member;
        this.room = room;
        this.log = new Accounting.PublisherLog(id, room);
        this.clientMsgIdPrefix = "lt-" + member.run.runHex() + "-" + id + "-";
    }

    /** Starts (or changes) publishing at {@code messagesPerSecond}; 0 pauses. */
    void setRate(double messagesPerSecond, boolean randomPhase) {
        WsClient c = member.client();
        Channel ch = c == null ? null : c.channel();
        if (ch == null) {
            return;
        }
        ch.eventLoop().execute(() -> {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
            rate = messagesPerSecond;
            if (messagesPerSecond <= 0 || !ch.isActive()) {
                return;
            }
            // A tick per message at low rates (at most 1 s apart), down to 1 ms at high rates.
            long periodMicros = (long) Math.max(1_000, Math.min(1_000_000, 1e6 / messagesPerSecond));
            // A random phase spreads publishers over the period, so that they do not all tick at the same instant.
            credit = randomPhase ? ThreadLocalRandom.current().nextDouble() : 1.0;
            long firstDelay = randomPhase ? ThreadLocalRandom.current().nextLong(periodMicros) : periodMicros;
            lastTick = System.nanoTime();
            if (credit >= 1.0) {
                tick();
            }
            task = ch.eventLoop().scheduleAtFixedRate(this::tick, firstDelay, periodMicros, TimeUnit.MICROSECONDS);
        });
    }

    /** Stops publishing (the connection ended, or the run is over); the future completes once no tick can run. */
    java.util.concurrent.Future<?> pause() {
        WsClient c = member.client();
        Channel ch = c == null ? null : c.channel();
        rate = 0;
        if (ch == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return ch.eventLoop().submit(() -> {
            if (task != null) {
                task.cancel(false);
                task = null;
            }
        });
    }

    private void tick() {
        WsClient c = member.client();
        if (c == null || !c.isOpen() || rate <= 0) {
            return;
        }
        long now = System.nanoTime();
        // Catch up after a stall by at most about a second's worth.
        credit = Math.min(credit + rate * (now - lastTick) / 1e9, rate + 1.0);
        lastTick = now;
        int n = (int) credit;
        if (n <= 0) {
            return;
        }
        credit -= n;
        Run run = member.run;
        for (int i = 0; i < n; i++) {
            if (!c.writable()) {
                run.stats().throttled.add(n - i);
                break;
            }
            long pseq = log.nextSend();
            String text = Payload.format(run.runId(), id, pseq, run.textStamp(run.stampNanos()));
            c.write(Commands.send(room, clientMsgIdPrefix + pseq, text, pseq));
            run.stats().sends.increment();
        }
        c.flush();
    }

    void acked(long publisherSeq, long roomSeq, boolean duplicate) {
        if (publisherSeq <= 0) {
            return;
        }
        log.acked(publisherSeq, roomSeq);
        member.run.stats().acks.increment();
        if (duplicate) {
            member.run.stats().duplicateAcks.increment();
        }
    }

    void refused(long publisherSeq, String code) {
        log.refused(publisherSeq);
        member.run.stats().refusal(code);
    }
}
