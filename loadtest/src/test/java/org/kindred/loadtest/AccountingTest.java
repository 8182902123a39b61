package org.kindred.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The accounting on synthetic sequences: no server involved. */
class AccountingTest {

    /** A publisher in room "r" whose messages 1..n were acked with room seqs firstRoomSeq, firstRoomSeq+1, ... */
    private static Accounting.PublisherLog publisher(int id, int n, long firstRoomSeq) {
        Accounting.PublisherLog p = new Accounting.PublisherLog(id, "r");
        for (int i = 1; i <= n; i++) {
            long seq = p.nextSend();
            p.acked(seq, firstRoomSeq + i - 1);
        }
        return p;
    }

    private static Accounting.ReceiverLog receiver(long start, int publisher, long... publisherSeqs) {
        Accounting.ReceiverLog r = new Accounting.ReceiverLog("r");
        r.joined(start, "e1");
        for (long s : publisherSeqs) {
            r.receive(publisher, s, start + s);
        }
        return r;
    }

    @Test
    void everythingReceivedOnceInOrderIsClean() {
        Accounting.Result a = Accounting.compute(
                Map.of(0, publisher(0, 5, 1)), List.of(receiver(0, 0, 1, 2, 3, 4, 5), receiver(0, 0, 1, 2, 3, 4, 5)));
        assertThat(a).isEqualTo(new Accounting.Result(10, 10, 0, 0, 0, 0, 0));
    }

    @Test
    void aMissingSequenceNumberIsLost() {
        Accounting.Result a = Accounting.compute(
                Map.of(0, publisher(0, 5, 1)), List.of(receiver(0, 0, 1, 2, 4, 5), receiver(0, 0, 1, 2, 3, 4, 5)));
        assertThat(a.expected()).isEqualTo(10);
        assertThat(a.received()).isEqualTo(9);
        assertThat(a.lost()).isEqualTo(1);
        assertThat(a.membersWithLoss()).isEqualTo(1);
        assertThat(a.duplicated()).isZero();
        assertThat(a.outOfOrder()).isZero();
    }

    @Test
    void aRepeatedSequenceNumberIsADuplicate() {
        Accounting.Stream s = new Accounting.Stream();
        assertThat(s.onReceive(1)).isEqualTo(Accounting.Stream.Outcome.IN_ORDER);
        assertThat(s.onReceive(2)).isEqualTo(Accounting.Stream.Outcome.IN_ORDER);
        assertThat(s.onReceive(2)).isEqualTo(Accounting.Stream.Outcome.DUPLICATE);
        Accounting.Result a = Accounting.compute(Map.of(0, publisher(0, 3, 1)), List.of(receiver(0, 0, 1, 2, 2, 3)));
        assertThat(a.duplicated()).isEqualTo(1);
        assertThat(a.lost()).isZero();
        assertThat(a.outOfOrder()).isZero();
        assertThat(a.received()).isEqualTo(3);
    }

    @Test
    void aLowerSequenceNumberIsOutOfOrder() {
        Accounting.Stream s = new Accounting.Stream();
        s.onReceive(1);
        s.onReceive(3);
        assertThat(s.onReceive(2)).isEqualTo(Accounting.Stream.Outcome.OUT_OF_ORDER);
        assertThat(s.onReceive(1)).isEqualTo(Accounting.Stream.Outcome.DUPLICATE); // not also out of order
        Accounting.Result a = Accounting.compute(Map.of(0, publisher(0, 3, 1)), List.of(receiver(0, 0, 1, 3, 2)));
        assertThat(a.outOfOrder()).isEqualTo(1);
        assertThat(a.lost()).isZero();
        assertThat(a.duplicated()).isZero();
    }

    @Test
    void onlyMessagesPostedWhileAMemberAreExpected() {
        // Room seqs 1..6; this member joined when the room's last seq was 3: it expects seqs 4, 5, 6 only.
        Accounting.PublisherLog p = publisher(0, 6, 1);
        Accounting.ReceiverLog late = new Accounting.ReceiverLog("r");
        late.joined(3, "e1");
        late.receive(0, 4, 4);
        late.receive(0, 5, 5);
        late.receive(0, 6, 6);
        Accounting.Result a = Accounting.compute(Map.of(0, p), List.of(late));
        assertThat(a).isEqualTo(new Accounting.Result(3, 3, 0, 0, 0, 0, 0));
    }

    @Test
    void refusedAndUnackedSendsAreNotExpected() {
        Accounting.PublisherLog p = new Accounting.PublisherLog(0, "r");
        p.acked(p.nextSend(), 1);
        p.refused(p.nextSend()); // rate_limited: never posted
        p.nextSend(); // no ack (yet)
        assertThat(p.unacked()).isEqualTo(1);
        Accounting.ReceiverLog r = new Accounting.ReceiverLog("r");
        r.joined(0, "e1");
        r.receive(0, 1, 1);
        r.receive(0, 3, 2); // delivered although its ack never came: unexpected, not lost
        Accounting.Result a = Accounting.compute(Map.of(0, p), List.of(r));
        assertThat(a.expected()).isEqualTo(1);
        assertThat(a.lost()).isZero();
        assertThat(a.unexpected()).isEqualTo(1);
    }

    @Test
    void expectedIsAckedCountTimesMembersPerRoom() {
        Accounting.PublisherLog p0 = publisher(0, 4, 1);
        Accounting.PublisherLog p1 = new Accounting.PublisherLog(1, "other");
        p1.acked(p1.nextSend(), 1);
        Accounting.ReceiverLog a1 = receiver(0, 0, 1, 2, 3, 4);
        Accounting.ReceiverLog a2 = receiver(0, 0, 1, 2, 3, 4);
        Accounting.ReceiverLog a3 = receiver(0, 0, 1, 2, 3);
        Accounting.ReceiverLog b = new Accounting.ReceiverLog("other");
        b.joined(0, "e");
        b.receive(1, 1, 1);
        Accounting.Result a = Accounting.compute(Map.of(0, p0, 1, p1), List.of(a1, a2, a3, b));
        assertThat(a.expected()).isEqualTo(4 * 3 + 1);
        assertThat(a.lost()).isEqualTo(1);
    }

    @Test
    void aMemberThatNeverJoinedExpectsNothing() {
        Accounting.Result a =
                Accounting.compute(Map.of(0, publisher(0, 4, 1)), List.of(new Accounting.ReceiverLog("r")));
        assertThat(a.expected()).isZero();
    }

    @Test
    void ackedInRangeCountsAStepsMessages() {
        Accounting.PublisherLog p = publisher(0, 10, 1);
        p.refused(p.nextSend());
        assertThat(p.ackedInRange(0, 5)).isEqualTo(5);
        assertThat(p.ackedInRange(5, 11)).isEqualTo(5);
    }

    @Test
    void publishersWithFarApartIdsAreCountedApart() {
        Accounting.ReceiverLog r = new Accounting.ReceiverLog("r");
        r.joined(0, "e1");
        assertThat(r.stream(300)).isNull();
        assertThat(r.receive(300, 1, 1)).isEqualTo(Accounting.Stream.Outcome.IN_ORDER);
        assertThat(r.receive(0, 1, 2)).isEqualTo(Accounting.Stream.Outcome.IN_ORDER);
        assertThat(r.receive(300, 1, 3)).isEqualTo(Accounting.Stream.Outcome.DUPLICATE);
        assertThat(r.stream(300).maxSeen()).isEqualTo(1);
        assertThat(r.stream(1)).isNull();
        assertThat(r.maxRoomSeq()).isEqualTo(3);
        Accounting.Result a = Accounting.compute(Map.of(0, publisher(0, 1, 2), 300, publisher(300, 1, 1)), List.of(r));
        assertThat(a).isEqualTo(new Accounting.Result(2, 2, 0, 1, 0, 0, 0));
    }
}
