package org.kindred.server.presence;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Scheduler;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executor;
import org.kindred.protocol.UserInfo;

/**
 * The devices (connections) of each user in each room, in a Caffeine cache. When a user's last device drops without
 * leaving, the entry lingers for the grace period, so a phone that loses its link and comes back does not make the
 * room see it leave and join again; when the grace period runs out, the {@link LingerListener} hears of it.
 *
 * <p>Time comes from a {@link Ticker} and expiry runs on a {@link Scheduler}, both swappable so tests move a fake
 * clock and call {@link #cleanUp()} instead of waiting.
 */
public final class PresenceTracker {

    /** Told when a lingering user's grace period ran out. Called without any lock held by this class. */
    @FunctionalInterface
    public interface LingerListener {
        void lingerExpired(String room, String userId);
    }

    private record Key(String room, String userId) {}

    private record Devices(UserInfo user, Set<String> connections) {
        Devices with(String connection) {
            Set<String> copy = new HashSet<>(connections);
            copy.add(connection);
            return new Devices(user, Set.copyOf(copy));
        }

        Devices without(String connection) {
            Set<String> copy = new HashSet<>(connections);
            copy.remove(connection);
            return new Devices(user, Set.copyOf(copy));
        }
    }

    private final Cache<Key, Devices> devices;
    private final boolean lingers;

    /**
     * @param grace    how long a user whose last device dropped still counts as present; zero for no grace
     * @param ticker   the time source
     * @param scheduler runs expiry on time; {@link Scheduler#disabledScheduler()} leaves it to {@link #cleanUp()}
     * @param executor runs the listener
     * @param listener told when a grace period runs out
     */
    public PresenceTracker(
            Duration grace, Ticker ticker, Scheduler scheduler, Executor executor, LingerListener listener) {
        long graceNanos = grace.toNanos();
        this.lingers = graceNanos > 0;
        this.devices = Caffeine.newBuilder()
                .ticker(ticker)
                .scheduler(scheduler)
                .executor(executor)
                .expireAfter(new Expiry<Key, Devices>() {
                    @Override
                    public long expireAfterCreate(Key key, Devices value, long currentTime) {
                        return value.connections().isEmpty() ? graceNanos : Long.MAX_VALUE;
                    }

                    @Override
                    public long expireAfterUpdate(Key key, Devices value, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, value, currentTime);
                    }

                    @Override
                    public long expireAfterRead(Key key, Devices value, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .removalListener((Key key, Devices value, RemovalCause cause) -> {
                    if (cause == RemovalCause.EXPIRED && key != null) {
                        listener.lingerExpired(key.room(), key.userId());
                    }
                })
                .build();
    }

    /**
     * Adds a device of a user to a room; a lingering user is simply present again. Returns true when the user arrives
     * (it had neither a device here nor a grace period running).
     */
    public boolean connect(String room, UserInfo user, String connection) {
        boolean[] arrived = {false};
        devices.asMap().compute(new Key(room, user.id()), (k, current) -> {
            if (current == null) {
                arrived[0] = true;
                return new Devices(user, Set.of(connection));
            }
            return current.with(connection);
        });
        return arrived[0];
    }

    /**
     * Removes a device. Returns true when the user is now gone from the room: it had no other device and either left
     * on purpose or there is no grace period. Otherwise the user stays present (other devices, or lingering).
     */
    public boolean disconnect(String room, String userId, String connection, boolean leftOnPurpose) {
        boolean[] gone = {false};
        devices.asMap().computeIfPresent(new Key(room, userId), (k, current) -> {
            Devices rest = current.without(connection);
            if (rest.connections().isEmpty() && (leftOnPurpose || !lingers)) {
                gone[0] = true;
                return null;
            }
            return rest;
        });
        return gone[0];
    }

    /** Whether the user has a device in the room or is lingering there. */
    public boolean isPresent(String room, String userId) {
        return devices.getIfPresent(new Key(room, userId)) != null;
    }

    /** Runs pending expiry now; production relies on the scheduler instead. */
    public void cleanUp() {
        devices.cleanUp();
    }
}
