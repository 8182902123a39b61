package org.kindred.server.testing;

import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;
import org.kindred.protocol.WireCodec;
import org.kindred.server.auth.TokenVerifier;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.HistoryConfig;
import org.kindred.server.broker.LocalBroker;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.StorageConfig;
import org.kindred.server.config.SupportConfig;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.group.GroupService;
import org.kindred.server.group.LocalGroupStore;
import org.kindred.server.group.LocalMeetingArchive;
import org.kindred.server.group.MeetingRoomPolicy;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.room.PagingConfig;
import org.kindred.server.room.RoomRegistry;
import org.kindred.server.safety.Blocks;
import org.kindred.server.safety.CrisisLines;
import org.kindred.server.safety.LocalSafetyStore;
import org.kindred.server.safety.PhraseCrisisDetector;
import org.kindred.server.safety.SafetyService;
import org.kindred.server.safety.SanctionEnforcer;
import org.kindred.server.session.SessionContext;
import org.kindred.server.store.Database;
import org.kindred.server.store.SqlModerationRecords;
import org.kindred.server.support.LocalSupportStore;
import org.kindred.server.support.SessionRoomPolicy;
import org.kindred.server.support.SupportService;

/** Rooms on a single-node broker, driven by a fake clock, for unit tests of the domain. */
public final class TestRooms {

    private TestRooms() {}

    public static RoomRegistry registry(
            List<RoomConfig> rooms,
            int historySize,
            Duration historyMaxAge,
            int joinHistory,
            int historyPageMax,
            Duration presenceGrace,
            FakeTime time) {
        return new RoomRegistry(
                rooms,
                new PagingConfig(joinHistory, historyPageMax, historySize),
                presenceGrace,
                new WireCodec(),
                KindredMetrics.NOOP,
                localBroker(historySize, historyMaxAge, time),
                time.nodeTime());
    }

    /** The single-node broker these rooms use. */
    public static LocalBroker localBroker(int historySize, Duration historyMaxAge, FakeTime time) {
        return new LocalBroker(new HistoryConfig(historySize, historyMaxAge, Duration.ofMinutes(10)), time, time);
    }

    /** Rooms on a given broker. */
    public static RoomRegistry registry(List<RoomConfig> rooms, Broker broker, FakeTime time) {
        return registry(rooms, broker, KindredMetrics.NOOP, time);
    }

    /** Rooms on a given broker, counted by these metrics. */
    public static RoomRegistry registry(List<RoomConfig> rooms, Broker broker, KindredMetrics metrics, FakeTime time) {
        return new RoomRegistry(
                rooms,
                new PagingConfig(50, 100, 500),
                Duration.ZERO,
                new WireCodec(),
                metrics,
                broker,
                time.nodeTime());
    }

    /** The rooms of a configuration. */
    public static RoomRegistry registry(KindredConfig config, FakeTime time) {
        return registry(
                config.rooms(),
                config.historySize(),
                config.historyMaxAge(),
                config.joinHistory(),
                config.historyPageMax(),
                config.presenceGrace(),
                time);
    }

    /**
     * Everything sessions of one node share, with one-to-one support and group sessions on the same fake time; the
     * rooms learn the kinds of sessions and meetings.
     */
    public static SessionContext sessionContext(
            KindredConfig config,
            TokenVerifier verifier,
            RoomRegistry rooms,
            KindredMetrics metrics,
            LongSupplier nanoTime,
            FakeTime time) {
        ConnectedUsers users = new ConnectedUsers();
        WireCodec codec = new WireCodec();
        Blocks blocks = new Blocks();
        SupportService service = new SupportService(
                SupportConfig.defaults(),
                new SupportService.Safeguards(PhraseCrisisDetector.defaults(), blocks, CrisisLines.defaults()),
                LocalSupportStore.notifying(users, codec),
                new SupportService.SessionRooms() {
                    @Override
                    public void erase(String sessionId) {}

                    @Override
                    public void forget(String sessionId) {
                        rooms.discard(sessionId);
                    }

                    @Override
                    public void evict(String sessionId, String userId) {
                        rooms.evict(sessionId, userId);
                    }
                },
                rooms::roomsFor,
                metrics,
                time);
        LocalSupportStore support = new LocalSupportStore(service, users, codec);
        rooms.addKind(SessionRoomPolicy.KIND, new SessionRoomPolicy(support));
        SafetyService safety = new SafetyService(
                PhraseCrisisDetector.defaults(),
                new LocalSafetyStore(
                        users, new SanctionEnforcer(users, rooms, codec), blocks, codec, time, Duration.ofDays(1)),
                new SqlModerationRecords(SharedDatabase.DB, codec, time, Duration.ofDays(1)),
                CrisisLines.defaults(),
                metrics,
                time);
        GroupService groupService = new GroupService(
                config.groups(),
                LocalGroupStore.notifying(users, codec),
                rooms::evict,
                entry -> {},
                new LocalMeetingArchive(),
                time);
        LocalGroupStore groups = new LocalGroupStore(groupService, time);
        rooms.addKind(MeetingRoomPolicy.KIND, new MeetingRoomPolicy(groups));
        return new SessionContext(config, verifier, rooms, support, groups, safety, users, codec, metrics, nanoTime);
    }

    /** One in-memory database for every context these tests build (records carry random ids; none is reused). */
    private static final class SharedDatabase {
        static final Database DB = Database.open(StorageConfig.inMemory());
    }
}
