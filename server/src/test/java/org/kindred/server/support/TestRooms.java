package org.kindred.server.support;

import java.time.Duration;
import java.util.List;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.HistorySettings;
import org.kindred.server.broker.LocalBroker;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.room.RoomSettings;

/** Rooms on a single-node broker, driven by a fake clock, for unit tests of the domain. */
public final class TestRooms {

    private TestRooms() {
    }

    public static RoomRegistry registry(List<RoomConfig> rooms, int historySize, Duration historyMaxAge, int joinHistory,
                                        int historyPageMax, Duration presenceGrace, FakeTime time) {
        return new RoomRegistry(rooms, new RoomSettings(joinHistory, historyPageMax, historySize), presenceGrace,
                new WireCodec(), KindredMetrics.NOOP, localBroker(historySize, historyMaxAge, time), time.roomTime());
    }

    /** The single-node broker these rooms use. */
    public static LocalBroker localBroker(int historySize, Duration historyMaxAge, FakeTime time) {
        return new LocalBroker(new HistorySettings(historySize, historyMaxAge, Duration.ofMinutes(10)), time, time);
    }

    /** Rooms on a given broker. */
    public static RoomRegistry registry(List<RoomConfig> rooms, Broker broker, FakeTime time) {
        return new RoomRegistry(rooms, new RoomSettings(50, 100, 500), Duration.ZERO, new WireCodec(),
                KindredMetrics.NOOP, broker, time.roomTime());
    }

    /** The rooms of a configuration. */
    public static RoomRegistry registry(KindredConfig config, FakeTime time) {
        return registry(config.rooms(), config.historySize(), config.historyMaxAge(), config.joinHistory(),
                config.historyPageMax(), config.presenceGrace(), time);
    }
}
