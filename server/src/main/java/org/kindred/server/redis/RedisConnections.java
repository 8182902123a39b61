package org.kindred.server.redis;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.runtime.DaemonThreads;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;

/**
 * The one set of Redis connections of a node, shared by the broker and the support, group and safety stores: one
 * {@link ClientResources}, one connection for commands and scripts, one for the desks' commits and reads, one for
 * sharded pub/sub, one timer thread. Standalone or cluster alike. The connections reconnect by themselves; while
 * disconnected, commands fail at once rather than queue, so a client is told to retry instead of waiting on a send that
 * may never be stored.
 *
 * <p>The desks ({@link EntityDesk}) have a connection of their own, on an I/O thread of its own: a desk's thread waits
 * for each commit's answer, and on the shared connection that answer would queue behind the rooms' traffic (history
 * reads, presence, appends) and behind the room work its replies run on Lettuce's thread (joins, deliveries) — tens of
 * milliseconds per commit in a burst, on every support command.
 *
 * <p>Each part subscribes to its channels here with a handler of {@link ClusterEvent}s; after every reconnect the
 * channels are subscribed again (a restarted Redis forgets them) and then the parts that asked are told, to make up
 * for what they may have missed.
 */
public final class RedisConnections implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnections.class);

    /** How long a command may take before it fails. */
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);

    private static final long RETRY_MILLIS = 1_000;

    private static final int IO_THREADS = 3;

    private final RedisConfig config;
    private final Failures failures;
    private final ClientResources resources;
    private final ScheduledExecutorService timer = DaemonThreads.scheduler("kindred-redis");
    private final Map<String, Consumer<ClusterEvent>> handlers = new ConcurrentHashMap<>();
    private final List<Runnable> afterReconnect = new CopyOnWriteArrayList<>();
    private final AbstractRedisClient client;
    private final StatefulConnection<String, String> commandConnection;
    private final RedisClusterAsyncCommands<String, String> commands;
    /** The desks' own connection (see the class comment). */
    private final StatefulConnection<String, String> deskConnection;

    private final RedisClusterAsyncCommands<String, String> deskCommands;
    private final StatefulRedisPubSubConnection<String, String> pubSub;
    private final ResponsivenessProbe probe;
    /**
     * With {@code redis.waitReplicas}, the connection appends and their {@code WAIT} go on: {@code WAIT} holds back
     * every later command of the connection it is sent on, so not the shared one. {@code null} when off.
     */
    private final StatefulRedisConnection<String, String> replicated;
    /** Channels with a handler whose subscription is not in place: dropped with a connection, or refused. */
    private final Set<String> lost = ConcurrentHashMap.newKeySet();
    /** Whether Redis is reachable: one line when it stops being, one when it is again (timer thread). */
    private volatile boolean reachable = true;

    private long lostAtNanos;
    private final LongSupplier nanoTime;

    /** A connection dropped: the first drop of an outage says so, the others of the same outage say nothing. */
    private void markUnreachable() {
        if (reachable) {
            reachable = false;
            lostAtNanos = nanoTime.getAsLong();
            LOG.warn("Redis at {} is unreachable; reconnecting (commands are refused meanwhile)", config.displayUrl());
        }
    }

    /** A connection came back: once every connection is open, the outage is over. */
    private void maybeBack() {
        if (!reachable && commandConnection.isOpen() && deskConnection.isOpen() && pubSub.isOpen()) {
            reachable = true;
            failures.metrics().redisReconnected();
            LOG.info(
                    "Redis at {} is reachable again after {} ms",
                    config.displayUrl(),
                    TimeUnit.NANOSECONDS.toMillis(nanoTime.getAsLong() - lostAtNanos));
        }
    }

    /** Lettuce's per-command latencies, to the node's metrics (Micrometer stays in the metrics package). */
    private static final class LatencyToMetrics implements io.lettuce.core.metrics.CommandLatencyRecorder {
        private final org.kindred.server.metrics.KindredMetrics metrics;

        LatencyToMetrics(org.kindred.server.metrics.KindredMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void recordCommandLatency(
                SocketAddress local,
                SocketAddress remote,
                io.lettuce.core.protocol.ProtocolKeyword commandType,
                long firstResponseLatency,
                long completionLatency) {
            metrics.redisCommand(commandType.toString(), completionLatency);
        }
    }

    private final AtomicBoolean restoreQueued = new AtomicBoolean();
    /** Whether subscribing again failed since the last success (to warn once per outage, not every second). */
    private volatile boolean retrying;

    private final Disposable topologyChanges;

    private RedisConnections(RedisConfig config, Failures failures, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.config = config;
        this.failures = failures;
        // Reconnect quickly: a node without Redis cannot take messages, and clients are retrying meanwhile.
        this.resources = ClientResources.builder()
                .reconnectDelay(
                        Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(2), 2, TimeUnit.MILLISECONDS))
                .commandLatencyRecorder(new LatencyToMetrics(failures.metrics()))
                // One I/O thread per connection (commands, desks, pub/sub) even on a machine of one or two cores.
                .ioThreadPoolSize(Math.max(IO_THREADS, Runtime.getRuntime().availableProcessors()))
                .build();
        TimeoutOptions timeouts = TimeoutOptions.enabled(COMMAND_TIMEOUT);
        RedisConnectionStateListener reconnects = new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                onTimer(RedisConnections.this::restore);
                onTimer(RedisConnections.this::maybeBack);
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                if (connection instanceof StatefulRedisPubSubConnection<?, ?>) {
                    // Which channels went with it is not known here (a Redis Cluster node's share): all of them, until
                    // they are subscribed again.
                    lost.addAll(handlers.keySet());
                }
                onTimer(RedisConnections.this::markUnreachable);
            }
        };
        failures.metrics().bindRedisUp(() -> reachable);
        AbstractRedisClient created = null;
        StatefulConnection<String, String> connection = null;
        StatefulConnection<String, String> desks = null;
        try {
            if (config.cluster()) {
                List<RedisURI> seeds = Arrays.stream(config.url().split(","))
                        .map(String::strip)
                        .map(RedisURI::create)
                        .toList();
                RedisClusterClient cluster = RedisClusterClient.create(resources, seeds);
                created = cluster;
                cluster.setOptions(ClusterClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(timeouts)
                        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                                .enablePeriodicRefresh(Duration.ofSeconds(30))
                                .enableAllAdaptiveRefreshTriggers()
                                .build())
                        .build());
                cluster.addListener(reconnects);
                StatefulRedisClusterConnection<String, String> clusterConnection = cluster.connect();
                connection = clusterConnection;
                StatefulRedisClusterConnection<String, String> clusterDesks = cluster.connect();
                desks = clusterDesks;
                StatefulRedisClusterPubSubConnection<String, String> clusterPubSub = cluster.connectPubSub();
                clusterPubSub.setNodeMessagePropagation(true); // shard channels live on the nodes that own their slots
                this.client = cluster;
                this.commandConnection = clusterConnection;
                this.commands = clusterConnection.async();
                this.deskConnection = clusterDesks;
                this.deskCommands = clusterDesks.async();
                this.pubSub = clusterPubSub;
                this.replicated = null; // redis.waitReplicas is refused with a Redis Cluster
            } else {
                RedisClient standalone = RedisClient.create(
                        resources, RedisURI.create(config.url().strip()));
                created = standalone;
                standalone.setOptions(ClientOptions.builder()
                        .autoReconnect(true)
                        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                        .timeoutOptions(timeouts)
                        .build());
                standalone.addListener(reconnects);
                StatefulRedisConnection<String, String> standaloneConnection = standalone.connect();
                connection = standaloneConnection;
                StatefulRedisConnection<String, String> standaloneDesks = standalone.connect();
                desks = standaloneDesks;
                this.client = standalone;
                this.commandConnection = standaloneConnection;
                this.commands = standaloneConnection.async();
                this.deskConnection = standaloneDesks;
                this.deskCommands = standaloneDesks.async();
                this.pubSub = standalone.connectPubSub();
                this.replicated = config.waitReplicas() > 0 ? standalone.connect() : null;
            }
        } catch (RuntimeException e) {
            // Nothing of a node that could not connect may stay behind: its threads, its half-open connections.
            timer.shutdownNow();
            if (connection != null) {
                connection.close();
            }
            if (desks != null) {
                desks.close();
            }
            if (created != null) {
                created.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            release(resources);
            throw e;
        }
        this.probe = new ResponsivenessProbe(this::ping, nanoTime, timer);
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, String payload) {
                deliver(channel, payload);
            }

            @Override
            public void sunsubscribed(String channel, long count) {
                // Redis drops a shard channel's subscribers when its slot moves to another master: subscribe again
                // there. (A channel this node let go of has no handler any more.)
                if (handlers.containsKey(channel)) {
                    lost.add(channel);
                    restoreSoon();
                }
            }
        });
        // A Redis Cluster whose slots moved (a failover, a resharding): subscriptions follow the slots' new masters.
        this.topologyChanges = resources.eventBus().get().subscribe(event -> {
            if (event instanceof ClusterTopologyChangedEvent) {
                onTimer(this::restore);
            }
        });
        LOG.info("cluster mode: node {} on {}", config.nodeId(), config);
    }

    /**
     * Connects to the Redis (or Redis Cluster) of the configuration, in real time.
     *
     * @throws RedisUnreachableException when it cannot connect
     */
    public static RedisConnections open(RedisConfig config, Failures failures) {
        return open(config, failures, System::nanoTime);
    }

    /**
     * Connects to the Redis (or Redis Cluster) of the configuration.
     *
     * @param nanoTime the node's monotonic time, for how long Redis has been silent
     * @throws RedisUnreachableException when it cannot connect
     */
    public static RedisConnections open(RedisConfig config, Failures failures, LongSupplier nanoTime) {
        try {
            return new RedisConnections(config, failures, nanoTime);
        } catch (RedisConnectionException e) {
            throw new RedisUnreachableException(config.displayUrl(), e);
        }
    }

    /** This node's name in Redis. */
    String nodeId() {
        return config.nodeId();
    }

    RedisClusterAsyncCommands<String, String> commands() {
        return commands;
    }

    /** The desks' connection: their commits, reads and reloads, whose answers their threads wait for. */
    RedisClusterAsyncCommands<String, String> deskCommands() {
        return deskCommands;
    }

    /** Where appends go: the shared connection, or with {@code redis.waitReplicas} their own. */
    RedisClusterAsyncCommands<String, String> appendCommands() {
        return replicated == null ? commands : replicated.async();
    }

    /**
     * {@code WAIT} on the appends' connection: how many replicas hold every append sent on it so far, once
     * {@code redis.waitReplicas} do or {@code redis.waitTimeout} has passed. Only with {@code redis.waitReplicas}.
     */
    CompletableFuture<Long> replicasHoldingAppends() {
        return replicated
                .async()
                .waitForReplication(config.waitReplicas(), config.waitTimeout().toMillis())
                .toCompletableFuture();
    }

    /** The node's Redis timer: heartbeats, resyncs, reloads. Its tasks must be short. */
    ScheduledExecutorService timer() {
        return timer;
    }

    /** Runs a task on the timer thread; nothing happens once the connections are closed. */
    void onTimer(Runnable task) {
        try {
            timer.execute(task);
        } catch (RejectedExecutionException closed) {
            // closing: nothing to restore any more
        }
    }

    /** Starts delivering a channel's events to this handler (one per channel); completes once subscribed. */
    CompletableFuture<Void> subscribe(String channel, Consumer<ClusterEvent> handler) {
        handlers.put(channel, handler);
        CompletableFuture<Void> subscribed =
                pubSub.async().ssubscribe(channel).toCompletableFuture().thenAccept(ignored -> {});
        failures.then("redis subscribe", subscribed, (ignored, error) -> {
            if (error != null) {
                lost.add(channel);
                restoreSoon();
            }
        });
        return subscribed;
    }

    /** Stops delivering a channel's events to this node. */
    void unsubscribe(String channel) {
        if (handlers.remove(channel) != null) {
            lost.remove(channel);
            failures.watch("redis unsubscribe", pubSub.async().sunsubscribe(channel));
        }
    }

    /** Publishes an event on a sharded channel; completes once Redis took it. */
    CompletableFuture<Void> publish(String channel, ClusterEvent event) {
        return commands.spublish(channel, ClusterEventCodec.encode(event))
                .toCompletableFuture()
                .thenAccept(ignored -> {});
    }

    /** Runs an action after every reconnect, once the channels are subscribed again. */
    void afterReconnect(Runnable action) {
        afterReconnect.add(action);
    }

    private void deliver(String channel, String payload) {
        Consumer<ClusterEvent> handler = handlers.get(channel);
        if (handler == null) {
            return;
        }
        try {
            handler.accept(ClusterEventCodec.decode(payload));
        } catch (RuntimeException e) {
            failures.record("cluster event on " + kindOfChannel(channel), e);
        }
    }

    /** The family of a channel, for logs and metrics (never a room id). */
    private static String kindOfChannel(String channel) {
        int close = channel.lastIndexOf('}');
        return close < 0 ? "channel" : "*" + channel.substring(close + 1);
    }

    /**
     * After a connection to Redis opened (a reconnect, a Redis Cluster node's connection opened on first use) or the
     * cluster's topology changed: subscribe every channel again, then tell the parts that asked. A Redis Cluster takes
     * one {@code SSUBSCRIBE} per slot (channels of several slots in one command fail with {@code CROSSSLOT}), each
     * routed to the master that owns the slot now; Redis answers a channel already subscribed as such, so subscribing
     * again costs nothing. Channels whose subscription fails stay {@linkplain #lost lost} (the node is not ready) and
     * are tried again a second later.
     */
    private void restore() {
        restoreQueued.set(false);
        List<String[]> groups = groupsOfChannels(Set.copyOf(handlers.keySet()));
        List<CompletableFuture<Void>> subscribed = new ArrayList<>(groups.size());
        for (String[] group : groups) {
            CompletableFuture<Void> one =
                    pubSub.async().ssubscribe(group).toCompletableFuture().thenAccept(ignored -> {});
            subscribed.add(one.whenComplete((ignored, error) -> {
                if (error == null) {
                    Arrays.asList(group).forEach(lost::remove);
                } else {
                    for (String channel : group) {
                        if (handlers.containsKey(channel)) {
                            lost.add(channel);
                        }
                    }
                }
            }));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(subscribed.toArray(CompletableFuture[]::new));
        failures.then("redis resubscribe", all, (ignored, error) -> {
            if (error != null) {
                if (!retrying) {
                    LOG.warn(
                            "could not subscribe {} channel(s) again; trying every second: {}",
                            lost.size(),
                            rootCause(error));
                }
                retrying = true;
                restoreSoon();
                return;
            }
            if (retrying) {
                LOG.info("every channel is subscribed again");
                retrying = false;
            }
            afterReconnect.forEach(Runnable::run);
        });
    }

    /** Runs {@link #restore()} a second from now, once however many ask. */
    private void restoreSoon() {
        if (restoreQueued.compareAndSet(false, true)) {
            try {
                var unused = timer.schedule(this::restore, RETRY_MILLIS, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException closed) {
                // closing: nothing to restore any more
            }
        }
    }

    /** The channels in the groups one SSUBSCRIBE may take: all of them standalone, one group per slot in a cluster. */
    private List<String[]> groupsOfChannels(Set<String> channels) {
        if (channels.isEmpty()) {
            return List.of();
        }
        if (!config.cluster()) {
            return List.<String[]>of(channels.toArray(String[]::new));
        }
        Map<Integer, List<String>> bySlot = new HashMap<>();
        channels.forEach(channel -> bySlot.computeIfAbsent(SlotHash.getSlot(channel), ignored -> new ArrayList<>())
                .add(channel));
        return bySlot.values().stream()
                .map(group -> group.toArray(String[]::new))
                .toList();
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause != cause.getCause()) {
            cause = cause.getCause();
        }
        return cause.toString();
    }

    /** Whether every connection is up, every channel is subscribed, and Redis answered a ping recently. */
    boolean isOpen() {
        return commandConnection.isOpen()
                && deskConnection.isOpen()
                && pubSub.isOpen()
                && lost.isEmpty()
                && probe.responsive();
    }

    /** One PING, to every master of a Redis Cluster; completes once all answered. */
    private CompletableFuture<?> ping() {
        if (commands instanceof RedisAdvancedClusterAsyncCommands<String, String> cluster) {
            return CompletableFuture.allOf(cluster.upstream().commands().ping().futures());
        }
        return commands.ping().toCompletableFuture();
    }

    /** Waits for a Redis reply on a store's own thread, a little longer than the command timeout. */
    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Redis did not answer: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        topologyChanges.dispose();
        probe.close();
        timer.shutdownNow();
        pubSub.close();
        if (replicated != null) {
            replicated.close();
        }
        deskConnection.close();
        commandConnection.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        release(resources);
    }

    /** Shuts down the client resources (their threads), waiting a little. */
    private void release(ClientResources resources) {
        java.util.concurrent.Future<Boolean> released = resources.shutdown(0, 2, TimeUnit.SECONDS);
        try {
            released.get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            failures.record("redis shutdown", e);
        }
    }
}
