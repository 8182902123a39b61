package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.runtime.DaemonThreads;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery of a store whose whole state is one document in Redis ({@code kindred:{name}:state}): one thread per
 * node runs every step on the node's copy; a step that changes it takes the cluster-wide lock, loads the latest state,
 * runs, saves, then does what it queued for after the save (events, evictions) and tells the other nodes, which reload
 * their copy at once. Human-paced commands (a request, a facilitator's control) make one at a time cheap, and it makes
 * every decision atomic cluster-wide.
 */
final class SharedState implements AutoCloseable {

    /** How a store reads and writes its copy. Called on the store's thread only. */
    interface Copy {
        /** Replaces the copy with the stored state; null when nothing is stored yet. */
        void load(String stored);

        /** The copy as it is to be stored; may first write what the saved state will point at. */
        String save();
    }

    private static final Logger LOG = LoggerFactory.getLogger(SharedState.class);

    private final String name;
    private final String key;
    private final StoreChannel channel;
    private final RedisConnections redis;
    private final RedisLock lock;
    private final Failures failures;
    private final ExecutorService thread;
    /** What the running step does once its state is saved. Store thread only. */
    private final List<Runnable> afterSave = new ArrayList<>();

    private final AtomicBoolean reloadQueued = new AtomicBoolean();
    private Copy copy;

    /**
     * @param redis    the node's Redis connections
     * @param notices  what the store does with the notices of its channel besides reloading (evictions)
     * @param nanoTime monotonic time, for how long a step waits for the lock
     */
    SharedState(
            RedisConnections redis,
            String name,
            ConnectedUsers users,
            Failures failures,
            StoreChannel.Handler notices,
            LongSupplier nanoTime) {
        this.name = name;
        this.key = "kindred:{" + name + "}:state";
        this.redis = redis;
        this.failures = failures;
        this.thread = DaemonThreads.single("kindred-" + name);
        this.channel = new StoreChannel(redis, name, users, failures, new StoreChannel.Handler() {
            @Override
            public void changed() {
                reloadSoon();
            }

            @Override
            public void evict(String room, String userId) {
                notices.evict(room, userId);
            }

            @Override
            public void closeRoom(String room) {
                notices.closeRoom(room);
            }
        });
        this.lock = new RedisLock(redis, "kindred:{" + name + "}:lock", redis.nodeId(), nanoTime);
    }

    /** Starts serving: the copy is loaded once before any step runs. */
    void attach(Copy copy) {
        this.copy = copy;
        await(submit(() -> {
            load();
            return null;
        }));
    }

    StoreChannel channel() {
        return channel;
    }

    RedisConnections redis() {
        return redis;
    }

    /** Queues an action of the running step for after its state is saved. Store thread only. */
    void afterSave(Runnable action) {
        afterSave.add(action);
    }

    /** Runs a step on the store's thread, after the ones already queued. */
    <T> CompletableFuture<T> submit(Supplier<T> step) {
        try {
            return CompletableFuture.supplyAsync(step, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is shutting down"));
        }
    }

    /** Runs a step that changes the state: lock, load, run, save, after-save actions, notice, unlock. Store thread only. */
    <T> T locked(Supplier<T> step) {
        String token = lock.acquire();
        try {
            load();
            T result = step.get();
            await(redis.commands().set(key, copy.save()).toCompletableFuture());
            afterSave.forEach(Runnable::run);
            channel.changed();
            return result;
        } finally {
            afterSave.clear();
            failures.watch("store lock release", lock.release(token));
        }
    }

    /** Reads the cluster's state into the copy. Store thread only. */
    void load() {
        copy.load(await(redis.commands().get(key).toCompletableFuture()));
    }

    /** Another node changed the state: reload the copy once, after the steps already queued. */
    private void reloadSoon() {
        if (reloadQueued.compareAndSet(false, true)) {
            thread.execute(() -> {
                reloadQueued.set(false);
                try {
                    load();
                } catch (RuntimeException e) {
                    LOG.debug("reloading the {} state failed: {}", name, e.toString());
                }
            });
        }
    }

    /** Stops the store's thread; the node's owner closes the connections. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
