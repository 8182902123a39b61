package org.kindred.server.redis;

import static org.kindred.server.redis.RedisConnections.await;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lettuce.core.KeyValue;
import io.lettuce.core.ScriptOutputType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.runtime.DaemonThreads;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery of a store whose state is many small entities in Redis (a mentor, a request, a session, a group), each
 * one hash {@code {v: version, d: JSON}}, changed without a lock and without a lease:
 *
 * <ol>
 *   <li>Every node keeps a read model of every entity (the feature's own objects) with the version it last saw. A
 *       command runs on the store's one thread against that model.
 *   <li>What the command changed is found by comparing the model's entities before and after (values with
 *       {@code equals}); only those are sent to Redis, in one {@code commit.lua} call per slot that writes them if,
 *       and only if, each still has the version the command read (a compare-and-set on every entity it writes).
 *   <li>If another node got there first, the script answers with the newer entities instead; the command's changes
 *       are rolled back, the newer entities swapped in, and the command runs again (a few times at most). So of two
 *       mentors accepting one request on two nodes, both write the request: one commit wins, the other command runs
 *       again, sees the request taken, and is refused — however long either node or Redis stalled in between.
 *   <li>A committed change is published on the store's channel with its versions, before the events it sends users;
 *       the other nodes decode it on Lettuce's thread (outside any lock) and swap the entities into their model on
 *       the store's thread, dropping any version older than the one they hold. A node that missed events (a
 *       reconnect) reads everything again; a node that missed one without knowing learns of it at its next commit.
 * </ol>
 *
 * Events, room evictions and metrics of a command wait in {@link #afterSave} until its commit succeeded, so a command
 * run twice tells nobody twice. A command that changes nothing writes nothing: an idle cluster costs no writes.
 *
 * @param <V> the feature's value type for one entity (a record)
 */
final class EntityDesk<V> implements AutoCloseable {

    /** How a feature's state is seen as entities. Called on the store's thread. */
    interface Model<V> {
        /** Every entity now, by key (values compared with {@code equals}). */
        Map<String, V> snapshot();

        /** Swaps entities in (a null value removes one). */
        void apply(Map<String, V> changes);

        /** An entity as stored. */
        String encode(String key, V value);

        /** A stored entity. */
        V decode(String key, String json);

        /** Whether an entity is a statistic any node may overwrite: written without comparing versions. */
        default boolean statistic(String key) {
            return false;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(EntityDesk.class);
    private static final int ATTEMPTS = 8;
    private static final int READ_BACK_ATTEMPTS = 8;
    private static final long TOMBSTONE_MILLIS = 24 * 3600 * 1000L;

    private final String name;
    private final String index;
    private final Function<String, String> slotOf;
    private final RedisConnections redis;
    private final Failures failures;
    private final ExecutorService thread;
    private final StoreChannel channel;
    private final RedisScript commit = RedisScript.load("commit");
    private final ObjectMapper json = new ObjectMapper();
    private Model<V> model;

    /** The version this node last saw of each entity (0: never seen or never written). Store thread only. */
    private final Map<String, Long> versions = new HashMap<>();
    /** The model's entities as last committed or heard of: what a command's changes are compared with. */
    private final Map<String, V> committed = new HashMap<>();
    /** What the running command does once it is committed. Store thread only. */
    private final List<Runnable> afterSave = new ArrayList<>();
    /** What the running command writes before its commit. Store thread only. */
    private final List<Runnable> beforeCommit = new ArrayList<>();

    private final Queue<List<Change<V>>> heard = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean applyQueued = new AtomicBoolean();

    /** An entity at a version; a null value: removed. */
    record Change<V>(String key, long version, V value) {}

    /** Counts, for tests and the benchmarks' notes. */
    private volatile long commits;

    private volatile long conflicts;

    /**
     * @param name   the store's name: its channel is {@code kindred:{name}:events}, its index {@code
     *               kindred:{name}:index}
     * @param slotOf the hash tag of an entity key: entities that one command must change together share one
     * @param notices what the store does with evictions and room closures decided anywhere
     */
    EntityDesk(
            RedisConnections redis,
            String name,
            Function<String, String> slotOf,
            ConnectedUsers users,
            Failures failures,
            StoreChannel.Handler notices) {
        this.name = name;
        this.index = "kindred:{" + name + "}:index";
        this.slotOf = slotOf;
        this.redis = redis;
        this.failures = failures;
        this.thread = DaemonThreads.single("kindred-" + name);
        this.channel = new StoreChannel(redis, name, users, failures, new StoreChannel.Handler() {
            @Override
            public void changed(String nodeId, String changes) {
                if (!nodeId.equals(redis.nodeId())) {
                    heard(changes);
                }
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
        redis.afterReconnect(() -> failures.watch(name + " reload", submit(() -> {
            reload();
            return null;
        })));
    }

    /** Starts serving: every entity is read once before any command runs. */
    void attach(Model<V> model) {
        this.model = model;
        await(submit(() -> {
            reload();
            return null;
        }));
    }

    StoreChannel channel() {
        return channel;
    }

    /**
     * Queues a write of the running command for just before its commit (what the committed entities will point at,
     * such as an archived meeting); it must be harmless to repeat. Store thread only.
     */
    void beforeCommit(Runnable action) {
        beforeCommit.add(action);
    }

    /** Queues an action of the running command for after its commit. Store thread only. */
    void afterSave(Runnable action) {
        afterSave.add(action);
    }

    long commits() {
        return commits;
    }

    long conflicts() {
        return conflicts;
    }

    /** Runs a step on the store's thread, after the ones already queued. */
    <T> CompletableFuture<T> submit(Supplier<T> step) {
        try {
            return CompletableFuture.supplyAsync(step, thread);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new IllegalStateException(name + " is shutting down"));
        }
    }

    /**
     * Runs a command and commits what it changed; runs it again on newer entities when another node changed one of
     * them first. A refusal leaves the model as it was. Store thread only.
     */
    <T> T run(Supplier<T> command) {
        return runAll(List.of(command)).get(0).get();
    }

    /** What one command of a batch came to: its result, or the exception it was refused with. */
    record Outcome<T>(T value, RuntimeException failure) {
        T get() {
            if (failure != null) {
                throw failure;
            }
            return value;
        }
    }

    /**
     * Runs commands that queued together, in order, each on what the ones before it changed, and commits what they
     * changed in one compare-and-set (one round trip for the batch, not one each); when another node changed one of
     * the entities first, the whole batch runs again on the newer entities. When a command is refused, which command
     * changed what is not known: the batch is rolled back and each command runs and commits on its own. Throws (for
     * every command) only when the commit could not be made. Store thread only.
     */
    <T> List<Outcome<T>> runAll(List<Supplier<T>> commands) {
        applyHeard();
        for (int attempt = 1; ; attempt++) {
            List<Outcome<T>> outcomes = new ArrayList<>(commands.size());
            Map<String, V> changed;
            try {
                for (Supplier<T> command : commands) {
                    outcomes.add(new Outcome<>(command.get(), null));
                }
                changed = changes();
            } catch (RuntimeException e) {
                rollBack(changes());
                forgetActions();
                if (commands.size() == 1) {
                    return List.of(new Outcome<>(null, e));
                }
                List<Outcome<T>> oneByOne = new ArrayList<>(commands.size());
                for (Supplier<T> command : commands) {
                    oneByOne.add(runOne(command));
                }
                return oneByOne;
            }
            if (changed.isEmpty()) {
                runAfterSave();
                return outcomes;
            }
            Optional<List<Change<V>>> newer = commitOrNewer(changed);
            if (newer.isEmpty()) {
                failures.metrics().deskCommitted(name, commands.size(), attempt - 1);
                runAfterSave();
                return outcomes;
            }
            conflicts++;
            rollBack(changed);
            forgetActions();
            swapIn(newer.get());
            if (attempt == ATTEMPTS) {
                failures.metrics().deskCommitted(name, 0, attempt);
                if (commands.size() > 1) {
                    // A long batch keeps losing to the other nodes' short ones: each command on its own then.
                    List<Outcome<T>> oneByOne = new ArrayList<>(commands.size());
                    for (Supplier<T> command : commands) {
                        oneByOne.add(runOne(command));
                    }
                    return oneByOne;
                }
                throw new IllegalStateException(name + ": " + ATTEMPTS + " commits in a row lost a race; try again");
            }
        }
    }

    /** One command of a batch on its own: its outcome, or the exception that kept it from being committed. */
    private <T> Outcome<T> runOne(Supplier<T> command) {
        try {
            return runAll(List.of(command)).get(0);
        } catch (RuntimeException e) {
            return new Outcome<>(null, e);
        }
    }

    /**
     * Commits the changes: nothing when they landed, the newer entities when another node changed one first. Throws,
     * with the changes rolled back, when Redis did not answer and what it holds could not be read back either.
     */
    private Optional<List<Change<V>>> commitOrNewer(Map<String, V> changed) {
        List<Change<V>> newer;
        try {
            beforeCommit.forEach(Runnable::run);
            beforeCommit.clear();
            newer = commit(changed);
        } catch (RuntimeException e) {
            // No answer (a timeout while Redis stalled): the commit may have run. Read back what is there.
            Optional<List<Change<V>>> found = readBack(changed);
            if (found.isEmpty()) {
                rollBack(changed);
                forgetActions();
                throw e;
            }
            if (landed(changed, found.get())) {
                swapIn(found.get());
                channel.changed(encodeChanges(found.get()));
                commits++;
                return Optional.empty();
            }
            newer = found.get();
        }
        return newer.isEmpty() ? Optional.empty() : Optional.of(newer);
    }

    /**
     * After a commit whose answer never came: the entities as Redis holds them, read again while Redis stalls (a few
     * tries, each bounded by the command timeout), or nothing when it stays out of reach.
     */
    private Optional<List<Change<V>>> readBack(Map<String, V> changed) {
        for (int attempt = 0; attempt < READ_BACK_ATTEMPTS; attempt++) {
            try {
                List<Change<V>> read = new ArrayList<>();
                for (String key : changed.keySet()) {
                    List<KeyValue<String, String>> held = await(
                            redis.deskCommands().hmget(redisKey(key), "v", "d").toCompletableFuture());
                    read.add(change(
                            key, held.get(0).getValueOrElse("0"), held.get(1).getValueOrElse("")));
                }
                return Optional.of(read);
            } catch (RuntimeException e) {
                LOG.debug("{}: reading back an unanswered commit failed: {}", name, e.toString());
            }
        }
        return Optional.empty();
    }

    /** Whether Redis holds exactly what this command wrote, each entity at a newer version than it read. */
    private boolean landed(Map<String, V> changed, List<Change<V>> found) {
        for (Change<V> c : found) {
            if (model.statistic(c.key())) {
                continue; // any node may have overwritten it since
            }
            if (c.version() <= versions.getOrDefault(c.key(), 0L) || !Objects.equals(c.value(), changed.get(c.key()))) {
                return false;
            }
        }
        return true;
    }

    /** Swaps in the changes heard from other nodes and not yet applied. Store thread only. */
    void catchUp() {
        applyHeard();
    }

    /** Reads these entities from Redis and swaps in the ones newer than this node's. Store thread only. */
    void refresh(List<String> keys) {
        applyHeard();
        List<Change<V>> read = new ArrayList<>();
        for (String key : keys) {
            List<KeyValue<String, String>> held =
                    await(redis.deskCommands().hmget(redisKey(key), "v", "d").toCompletableFuture());
            read.add(change(key, held.get(0).getValueOrElse("0"), held.get(1).getValueOrElse("")));
        }
        swapIn(read);
    }

    // ---------------------------------------------------------------------------------------------------------------

    private void forgetActions() {
        afterSave.clear();
        beforeCommit.clear();
    }

    private void runAfterSave() {
        beforeCommit.clear();
        try {
            afterSave.forEach(Runnable::run);
        } finally {
            afterSave.clear();
        }
    }

    /** The entities the model holds now that differ from the committed ones; null: removed. */
    private Map<String, V> changes() {
        Map<String, V> now = model.snapshot();
        Map<String, V> changed = new LinkedHashMap<>();
        now.forEach((key, value) -> {
            if (!Objects.equals(committed.get(key), value)) {
                changed.put(key, value);
            }
        });
        committed.keySet().forEach(key -> {
            if (!now.containsKey(key)) {
                changed.put(key, null);
            }
        });
        return changed;
    }

    private void rollBack(Map<String, V> changed) {
        if (changed.isEmpty()) {
            return;
        }
        Map<String, V> back = new HashMap<>();
        changed.keySet().forEach(key -> back.put(key, committed.get(key)));
        model.apply(back);
    }

    /** Commits the changes, one script per slot; returns the newer entities that made it fail, or nothing. */
    private List<Change<V>> commit(Map<String, V> changed) {
        Map<String, List<String>> bySlot = new LinkedHashMap<>();
        changed.keySet()
                .forEach(key -> bySlot.computeIfAbsent(slotOf.apply(key), s -> new ArrayList<>())
                        .add(key));
        List<Change<V>> newer = new ArrayList<>();
        List<Change<V>> done = new ArrayList<>();
        for (Map.Entry<String, List<String>> slot : bySlot.entrySet()) {
            List<String> keys = slot.getValue();
            boolean indexHere = slot.getKey().equals(name);
            if (!indexHere) {
                // The index is elsewhere: listed before it exists, unlisted after it is gone; a stale line is skipped.
                List<String> created =
                        keys.stream().filter(k -> changed.get(k) != null).toList();
                if (!created.isEmpty()) {
                    await(redis.deskCommands()
                            .sadd(index, created.toArray(String[]::new))
                            .toCompletableFuture());
                }
            }
            String[] redisKeys = new String[keys.size() + 1];
            String[] args = new String[2 + 2 * keys.size()];
            redisKeys[0] = indexHere ? index : redisKey(keys.get(0));
            args[0] = Long.toString(TOMBSTONE_MILLIS);
            args[1] = indexHere ? "1" : "0";
            for (int i = 0; i < keys.size(); i++) {
                String key = keys.get(i);
                V value = changed.get(key);
                redisKeys[i + 1] = redisKey(key);
                args[2 + 2 * i] = model.statistic(key) ? "-1" : Long.toString(versions.getOrDefault(key, 0L));
                args[3 + 2 * i] = value == null ? "" : model.encode(key, value);
            }
            List<Object> answer =
                    await(commit.<List<Object>>run(redis.deskCommands(), ScriptOutputType.MULTI, redisKeys, args));
            if (((Long) answer.get(0)) == 1L) {
                for (int i = 0; i < keys.size(); i++) {
                    String key = keys.get(i);
                    long version = (Long) answer.get(i + 1);
                    versions.put(key, version);
                    V value = changed.get(key);
                    if (value == null) {
                        committed.remove(key);
                    } else {
                        committed.put(key, value);
                    }
                    done.add(new Change<>(key, version, value));
                }
                if (!indexHere) {
                    List<String> removed =
                            keys.stream().filter(k -> changed.get(k) == null).toList();
                    if (!removed.isEmpty()) {
                        failures.watch(
                                name + " index", redis.deskCommands().srem(index, removed.toArray(String[]::new)));
                    }
                }
            } else {
                for (int i = 1; i + 2 < answer.size() + 1; i += 3) {
                    String key = entityKey((String) answer.get(i));
                    newer.add(change(key, (String) answer.get(i + 1), (String) answer.get(i + 2)));
                }
                break; // slots already committed stay: each slot's entities are independent of the others'
            }
        }
        if (!done.isEmpty()) {
            commits++;
            channel.changed(encodeChanges(done));
        }
        return newer;
    }

    private Change<V> change(String key, String version, String data) {
        return new Change<>(key, Long.parseLong(version), data.isEmpty() ? null : model.decode(key, data));
    }

    /** Entities newer than this node's: into the committed view and the model. Store thread only. */
    private void swapIn(List<Change<V>> changes) {
        Map<String, V> apply = new HashMap<>();
        for (Change<V> c : changes) {
            if (c.version() > versions.getOrDefault(c.key(), 0L)) {
                versions.put(c.key(), c.version());
                if (c.value() == null) {
                    committed.remove(c.key());
                } else {
                    committed.put(c.key(), c.value());
                }
                apply.put(c.key(), c.value());
            }
        }
        if (!apply.isEmpty()) {
            model.apply(apply);
        }
    }

    /** Another node committed: decode here (Lettuce's thread), swap in on the store's thread. */
    private void heard(String changes) {
        List<Change<V>> decoded = decodeChanges(changes);
        heard.add(decoded);
        if (applyQueued.compareAndSet(false, true)) {
            failures.watch(name + " read model", submit(() -> {
                applyHeard();
                return null;
            }));
        }
    }

    private void applyHeard() {
        applyQueued.set(false);
        List<Change<V>> next;
        while ((next = heard.poll()) != null) {
            swapIn(next);
        }
    }

    /** Reads every entity listed in the index. Store thread only. */
    private void reload() {
        java.util.Set<String> listed =
                await(redis.deskCommands().smembers(index).toCompletableFuture());
        // commit.lua lists an entity of the index's own slot (support) by its Redis key, the others (a group) by their
        // entity key: both are read as entities.
        List<String> keys = listed.stream()
                .map(key -> key.contains("}:e:") ? entityKey(key) : key)
                .distinct()
                .toList();
        List<CompletableFuture<List<KeyValue<String, String>>>> reads = new ArrayList<>();
        for (String key : keys) {
            reads.add(redis.deskCommands().hmget(redisKey(key), "v", "d").toCompletableFuture());
        }
        List<Change<V>> read = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            List<KeyValue<String, String>> held = await(reads.get(i));
            read.add(change(
                    keys.get(i), held.get(0).getValueOrElse("0"), held.get(1).getValueOrElse("")));
        }
        swapIn(read);
        LOG.debug("{}: read {} entities", name, keys.size());
    }

    String redisKey(String key) {
        return "kindred:{" + slotOf.apply(key) + "}:e:" + key;
    }

    private String entityKey(String redisKey) {
        return redisKey.substring(redisKey.indexOf("}:e:") + 4);
    }

    record Wire(String k, long v, String d) {}

    private String encodeChanges(List<Change<V>> changes) {
        List<Wire> wire = changes.stream()
                .map(c -> new Wire(c.key(), c.version(), c.value() == null ? "" : model.encode(c.key(), c.value())))
                .toList();
        try {
            return json.writeValueAsString(wire);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<Change<V>> decodeChanges(String changes) {
        try {
            List<Wire> wire = json.readValue(changes, new TypeReference<List<Wire>>() {});
            return wire.stream()
                    .map(w -> change(w.k(), Long.toString(w.v()), w.d()))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("a change event cannot be read", e);
        }
    }

    /** Stops the store's thread; the node's owner closes the connections. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
