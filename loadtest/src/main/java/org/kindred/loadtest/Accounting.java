package org.kindred.loadtest;

import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Delivery accounting by publisher sequence.
 *
 * <p>Every publisher numbers its messages 1, 2, 3, ... ({@link PublisherLog}); the server's {@code ack} tells it the
 * room sequence number each one got. Every member keeps, per room it joined, a {@link ReceiverLog}: the room sequence
 * number its membership started after (the {@code lastSeq} of its first {@code joined}) and, per publisher, which
 * publisher sequence numbers arrived ({@link Stream}).
 *
 * <ul>
 *   <li><b>expected</b>: for each member and room, the acknowledged messages of that room with a room sequence number
 *       above the member's start, that is, posted while it was a member (members stay until the end of the run;
 *       churning members resume, so their membership has no holes). In a room whose membership does not change this
 *       is the publisher's acknowledged count × the members of the room;</li>
 *   <li><b>lost</b>: expected messages that never arrived, after the drain period at the end;</li>
 *   <li><b>duplicated</b>: a publisher sequence number that arrived again at the same member;</li>
 *   <li><b>out of order</b>: a publisher sequence number that arrived after a higher one from the same publisher
 *       (duplicates are not also counted as out of order);</li>
 *   <li><b>unexpected</b>: arrivals of messages that were never acknowledged (the sender's connection died before the
 *       ack, or a send was refused yet delivered), or posted before the member's start. Counted, never "lost".</li>
 * </ul>
 * Sends refused with an {@code error} (for example {@code rate_limited}) were not posted and are not expected.
 */
public final class Accounting {

    private Accounting() {}

    /** One publisher's messages: publisher sequence → room sequence from the ack (0 = no ack, -1 = refused). */
    public static final class PublisherLog {
        public final int id;
        public final String room;
        private long[] roomSeq = new long[64];
        private long sent;
        private long acked;
        private long refused;

        public PublisherLog(int id, String room) {
            this.id = id;
            this.room = room;
        }

        /** Records a send; returns its publisher sequence number. */
        public synchronized long nextSend() {
            long seq = ++sent;
            if (seq >= roomSeq.length) {
                roomSeq = Arrays.copyOf(roomSeq, (int) Math.min(Integer.MAX_VALUE - 8, roomSeq.length * 2L));
            }
            return seq;
        }

        public synchronized void acked(long publisherSeq, long seqInRoom) {
            if (publisherSeq >= 1 && publisherSeq <= sent && roomSeq[(int) publisherSeq] == 0) {
                roomSeq[(int) publisherSeq] = seqInRoom;
                acked++;
            }
        }

        public synchronized void refused(long publisherSeq) {
            if (publisherSeq >= 1 && publisherSeq <= sent && roomSeq[(int) publisherSeq] == 0) {
                roomSeq[(int) publisherSeq] = -1;
                refused++;
            }
        }

        public synchronized long sent() {
            return sent;
        }

        public synchronized long acked() {
            return acked;
        }

        public synchronized long refused() {
            return refused;
        }

        public synchronized long unacked() {
            return sent - acked - refused;
        }

        /** The room sequence number of an acknowledged message, else 0 (no ack yet) or -1 (refused). */
        public synchronized long roomSeqOf(long publisherSeq) {
            return publisherSeq >= 1 && publisherSeq <= sent ? roomSeq[(int) publisherSeq] : 0;
        }

        /** The acknowledged messages among publisher sequence numbers {@code (fromSeq, toSeq]}. */
        public synchronized long ackedInRange(long fromSeq, long toSeq) {
            long n = 0;
            for (long i = Math.max(1, fromSeq + 1); i <= Math.min(toSeq, sent); i++) {
                if (roomSeq[(int) i] > 0) {
                    n++;
                }
            }
            return n;
        }

        /** The acknowledged messages with a room sequence number in {@code (after, upTo]}. */
        public synchronized long ackedBetween(long after, long upTo) {
            long n = 0;
            for (int i = 1; i <= sent; i++) {
                long s = roomSeq[i];
                if (s > after && s <= upTo) {
                    n++;
                }
            }
            return n;
        }
    }

    /** What one member received from one publisher. */
    public static final class Stream {
        private final BitSet received = new BitSet();
        private long maxSeen;
        private long distinct;
        private long duplicates;
        private long outOfOrder;

        public enum Outcome {
            IN_ORDER,
            OUT_OF_ORDER,
            DUPLICATE
        }

        public Outcome onReceive(long publisherSeq) {
            int i = (int) publisherSeq;
            if (received.get(i)) {
                duplicates++;
                return Outcome.DUPLICATE;
            }
            received.set(i);
            distinct++;
            if (publisherSeq < maxSeen) {
                outOfOrder++;
                return Outcome.OUT_OF_ORDER;
            }
            maxSeen = publisherSeq;
            return Outcome.IN_ORDER;
        }

        public boolean has(long publisherSeq) {
            return received.get((int) publisherSeq);
        }

        public long distinct() {
            return distinct;
        }

        public long duplicates() {
            return duplicates;
        }

        public long outOfOrder() {
            return outOfOrder;
        }

        public long maxSeen() {
            return maxSeen;
        }

        int nextReceived(int from) {
            return received.nextSetBit(from);
        }
    }

    /** One member's view of one room; synchronized because a churning member moves between event loops. */
    public static final class ReceiverLog {
        public final String room;
        private long start = -1;
        private String epoch;
        private long maxRoomSeq;
        /**
         * By publisher index. A map, not an array by index: in the rooms scenario every member publishes and each
         * receiver hears only its room's few, so arrays sized to the highest index took hundreds of megabytes.
         */
        private final Map<Integer, Stream> streams = new HashMap<>();

        public ReceiverLog(String room) {
            this.room = room;
        }

        /** The first {@code joined}: membership counts from {@code lastSeq} on. Later joins (resumes) keep it. */
        public synchronized void joined(long lastSeq, String epoch) {
            if (start < 0) {
                start = lastSeq;
                maxRoomSeq = Math.max(maxRoomSeq, lastSeq);
            }
            this.epoch = epoch;
        }

        public synchronized boolean started() {
            return start >= 0;
        }

        public synchronized long start() {
            return start;
        }

        public synchronized String epoch() {
            return epoch;
        }

        /** The highest room sequence number seen, for {@code join since}. */
        public synchronized long maxRoomSeq() {
            return maxRoomSeq;
        }

        /** Records an arrival from publisher {@code publisher} (an index: 0 or more). */
        public synchronized Stream.Outcome receive(int publisher, long publisherSeq, long roomSeq) {
            if (roomSeq > maxRoomSeq) {
                maxRoomSeq = roomSeq;
            }
            return streams.computeIfAbsent(publisher, k -> new Stream()).onReceive(publisherSeq);
        }

        /** What arrived from a publisher, or {@code null} if nothing did. */
        public synchronized Stream stream(int publisher) {
            return streams.get(publisher);
        }

        synchronized Map<Integer, Stream> streams() {
            return Map.copyOf(streams);
        }
    }

    /** The totals of a run. */
    public record Result(
            long expected,
            long received,
            long lost,
            long duplicated,
            long outOfOrder,
            long unexpected,
            long membersWithLoss) {}

    /**
     * Counts expected, lost, duplicated, out-of-order and unexpected deliveries.
     *
     * @param publishers every publisher of the run, by id
     * @param receivers  every member's log of every room it joined
     */
    public static Result compute(Map<Integer, PublisherLog> publishers, Collection<ReceiverLog> receivers) {
        Map<String, java.util.List<PublisherLog>> byRoom = new HashMap<>();
        for (PublisherLog p : publishers.values()) {
            byRoom.computeIfAbsent(p.room, k -> new java.util.ArrayList<>()).add(p);
        }
        long expected = 0;
        long received = 0;
        long duplicated = 0;
        long outOfOrder = 0;
        long unexpected = 0;
        long membersWithLoss = 0;
        for (ReceiverLog r : receivers) {
            if (!r.started()) {
                continue; // never joined: no membership, nothing expected
            }
            long start = r.start();
            Map<Integer, Stream> streams = r.streams();
            long lostHere = 0;
            for (PublisherLog p : byRoom.getOrDefault(r.room, java.util.List.of())) {
                Stream s = streams.get(p.id);
                long exp = 0;
                long got = 0;
                synchronized (p) {
                    for (int i = 1; i <= p.sent; i++) {
                        long seq = p.roomSeq[i];
                        boolean has = s != null && s.has(i);
                        if (seq > start) {
                            exp++;
                            if (has) {
                                got++;
                            }
                        } else if (has) {
                            unexpected++;
                        }
                    }
                }
                expected += exp;
                received += got;
                lostHere += exp - got;
            }
            for (Map.Entry<Integer, Stream> e : streams.entrySet()) {
                Stream s = e.getValue();
                duplicated += s.duplicates();
                outOfOrder += s.outOfOrder();
                PublisherLog p = publishers.get(e.getKey());
                if (p == null || !p.room.equals(r.room)) {
                    unexpected += s.distinct(); // a publisher of this run we did not expect in this room
                }
            }
            if (lostHere > 0) {
                membersWithLoss++;
            }
        }
        return new Result(expected, received, expected - received, duplicated, outOfOrder, unexpected, membersWithLoss);
    }
}
