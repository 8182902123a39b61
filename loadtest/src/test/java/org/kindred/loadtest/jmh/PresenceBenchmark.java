package org.kindred.loadtest.jmh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What presence costs to encode per join in a room of {@code present} users: the joiner's {@code joined} reply (no
 * history, so only presence counts) and the event the others receive. Protocol version 2 (issue 19): {@code joined}
 * lists at most the first 50 with the count and a cursor; a busy room tells a batch of changes as one
 * {@code presence_diff}; version 1 still gets the whole list ({@link #encodeJoinedVersion1}, the code before).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PresenceBenchmark {

    @Param({"20", "200", "2000"})
    public int present;

    private final WireCodec codec = new WireCodec();
    /** The server's default joined-list limit. */
    private static final int JOINED_LIST_LIMIT = 50;

    private ServerMessage.Joined joined;
    private ServerMessage.Joined joinedVersion1;
    private ServerMessage.PresenceJoined presenceJoined;
    private ServerMessage.PresenceDiff presenceDiff;

    @Setup(Level.Trial)
    public void setUp() {
        List<UserInfo> users = new ArrayList<>();
        for (int i = 0; i < present; i++) {
            users.add(new UserInfo("u-" + Integer.toHexString(0x10000 + i), "Member " + i, "member"));
        }
        joinedVersion1 = new ServerMessage.Joined("j1", "diabetes", "e-2b91", 1042, false, List.of(), false, users);
        List<UserInfo> first = users.subList(0, Math.min(JOINED_LIST_LIMIT, present));
        joined = new ServerMessage.Joined(
                "j1",
                "diabetes",
                "e-2b91",
                1042,
                false,
                List.of(),
                false,
                first,
                present,
                present > JOINED_LIST_LIMIT ? first.getLast().id() : null);
        presenceJoined = new ServerMessage.PresenceJoined("diabetes", users.getLast(), present);
        // One interval of a churning room: five arrivals and five departures, whatever the room's size.
        presenceDiff = new ServerMessage.PresenceDiff(
                "diabetes", users.subList(0, 5), users.subList(present - 5, present), present);
    }

    /** The joiner's reply, protocol version 2: at most the first 50, the count and a cursor. */
    @Benchmark
    public byte[] encodeJoined() {
        return codec.encode(joined);
    }

    /** The joiner's reply, protocol version 1: everyone present (what every client got before issue 19). */
    @Benchmark
    public byte[] encodeJoinedVersion1() {
        return codec.encode(joinedVersion1);
    }

    /** One batch of a busy room's changes (ten), sent once per interval instead of ten events. */
    @Benchmark
    public byte[] encodePresenceDiff() {
        return codec.encode(presenceDiff);
    }

    /** The event every other member receives, encoded once per join. */
    @Benchmark
    public byte[] encodePresenceJoined() {
        return codec.encode(presenceJoined);
    }
}
