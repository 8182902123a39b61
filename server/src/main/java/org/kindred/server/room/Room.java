package org.kindred.server.room;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;
import org.kindred.protocol.CloseCode;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.broker.Broker;
import org.kindred.server.broker.Broker.Appended;
import org.kindred.server.broker.Broker.Slice;
import org.kindred.server.broker.RoomFeed;
import org.kindred.server.config.PresenceConfig;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.config.RoomRule;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.identity.Identity;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.presence.PresenceTracker;
import org.kindred.server.runtime.Failures;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One room as this node serves it: its local members, the cursor of what they were delivered, and a mirror of who is
 * present anywhere. The {@link Broker} holds the order and history; this class turns its feed into frames.
 *
 * <p>Ordering: messages reach members strictly by sequence number. A message that arrives ahead of a gap waits while
 * the gap is read back from the broker (a lost pub/sub message); a message already delivered is dropped. A joining
 * connection is "syncing" until its join reply is sent: live messages meanwhile wait in its own buffer, so the reply
 * and the live stream meet without gap or overlap.
 *
 * <p>Locking: one lock guards the state; frames are queued to connections while it is held (queueing never blocks).
 * The broker may call the feed methods while holding its own locks, so this class never calls the broker while
 * holding its lock. Subscribing and unsubscribing are ordered by a second lock that broker callbacks never take.
 *
 * <p>Presence: the mirror is sorted by user id, so that a page of it resumes after a cursor (the last id listed) however
 * the room changed meanwhile. A member of protocol version 1 gets the whole list on join and an event per change. A
 * member of version 2 gets the count and the first {@link PresenceConfig#joinedListLimit()} on join, pages the rest,
 * and, in a room of more than {@link PresenceConfig#batchAbove()} present, hears of changes in one
 * {@code presence_diff} per {@link PresenceConfig#batchInterval()} ({@link PresenceBatch}). Frames reach a connection
 * in the order they are queued under the lock, so pages and diffs apply in order.
 */
public final class Room implements RoomFeed {

    private static final Logger LOG = LoggerFactory.getLogger(Room.class);
    private static final int BACKFILL_BATCH = 500;

    /** Replaced when a room made at run time is edited; the id never changes. */
    private volatile RoomConfig config;

    private final RoomPolicy policy;
    private final PagingConfig settings;
    private final PresenceConfig presenceConfig;
    private final Scheduler scheduler;
    private final WireCodec codec;
    private final Broker broker;
    private final PresenceTracker presence;
    private final KindredMetrics metrics;
    private final Failures failures;
    private final Executor background;
    /** Whether one user blocked another (either way): they see nothing of each other. */
    private final BiPredicate<String, String> hidden;

    private final ReentrantLock lock = new ReentrantLock();
    /** Connections in the room, by connection id. Concurrent so a member closed mid-broadcast cannot break iteration. */
    private final Map<String, Member> members = new ConcurrentHashMap<>();
    /** Who is present on any node, by user id: this node's mirror of the broker's presence. */
    private final NavigableMap<String, UserInfo> present = new TreeMap<>();
    /** Presence changes waiting to be told to members of version 2 as one event. */
    private final PresenceBatch batch = new PresenceBatch();
    /** The end of the open batch's interval, as scheduled. */
    private Future<?> presenceFlush;
    /**
     * Presence changes heard while the subscription loads the room's presence, by user: the snapshot may have been
     * taken before or after each, so each is applied again on top of it (the last change heard for a user wins).
     */
    private final Map<String, Heard> heardWhileLoading = new LinkedHashMap<>();
    /** Whether the room's presence is being read again after a reconnect (a snapshot on its way). */
    private boolean presenceReloading;
    /** Counts presence reads, so that only the latest one is applied. */
    private long presenceReads;
    /** Messages that arrived ahead of a gap, by seq. */
    private final TreeMap<Long, ChatMessage> ahead = new TreeMap<>();

    private String epoch;
    /** Epochs this room left (most recent last): their late events are stale, not another reset. */
    private final Deque<String> retiredEpochs = new ArrayDeque<>();
    /** The highest seq delivered to local members; -1 until the subscription knows where the room stands. */
    private long delivered = -1;
    /** Counts resets, so that a read begun before one is not applied after it. */
    private long generation;

    private boolean backfilling;

    private final Object subscriptionLock = new Object();
    private CompletableFuture<Void> subscription;

    /** A presence change: the user arrived ({@code present}) or left. */
    private record Heard(UserInfo user, boolean present) {}

    private static final class Member {
        final RoomMember member;
        /** Live messages that arrived while the join reply was being prepared; null once the member is in sync. */
        List<ChatMessage> buffered = new ArrayList<>();

        Member(RoomMember member) {
            this.member = member;
        }

        boolean syncing() {
            return buffered != null;
        }
    }

    /** Connections of this node that hold the room in its registry; guarded by the registry's map. */
    int holds;

    Room(
            RoomConfig config,
            RoomPolicy policy,
            PagingConfig settings,
            PresenceConfig presenceConfig,
            WireCodec codec,
            Broker broker,
            PresenceTracker presence,
            KindredMetrics metrics,
            Failures failures,
            Executor background,
            Scheduler scheduler,
            BiPredicate<String, String> hidden) {
        this.config = config;
        this.presenceConfig = presenceConfig;
        this.scheduler = scheduler;
        this.policy = policy;
        this.failures = failures;
        this.settings = settings;
        this.codec = codec;
        this.broker = broker;
        this.presence = presence;
        this.metrics = metrics;
        this.background = background;
        this.hidden = hidden;
    }

    public String id() {
        return config.id();
    }

    /** The rules of the room's kind, which the session follows for every command on it. */
    public RoomPolicy policy() {
        return policy;
    }

    /** What the room is now: its title, description, tags, writers, rules and audience. */
    public RoomConfig config() {
        return config;
    }

    /** The room was edited (a room made at run time): later lists, posts and joins follow the new configuration. */
    void update(RoomConfig edited) {
        if (!edited.id().equals(config.id())) {
            throw new IllegalArgumentException("room: '" + edited.id() + "' (expected: '" + config.id() + "')");
        }
        this.config = edited;
    }

    /** The room's content rules. */
    public Set<RoomRule> rules() {
        return config.rules();
    }

    /** The room's condition tags. */
    public List<String> tags() {
        return config.tags();
    }

    /** The room as listed to a user, with this many users present. */
    public RoomInfo info(Identity viewer, int online) {
        RoomConfig now = config;
        return new RoomInfo(
                now.id(), now.title(), now.description(), now.tags(), online, now.writableBy(viewer.roleNames()));
    }

    /** Whether any connection of this node is in the room. */
    public boolean hasMembers() {
        return !members.isEmpty();
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Members

    /**
     * Adds a connection and sends it the join reply: recent messages (every one after {@code since} when the history
     * still has them) and who is present. The future fails when the broker cannot serve; the connection is then not
     * in the room.
     */
    public CompletableFuture<Void> join(RoomMember roomMember, Long since, String clientEpoch, String ref) {
        Member member = new Member(roomMember);
        UserInfo user = roomMember.user();
        boolean arrives;
        lock.lock();
        try {
            Member previous = members.put(roomMember.connection().id(), member);
            arrives = previous == null
                    && roomMember.listed()
                    && presence.connect(id(), user, roomMember.connection().id());
        } finally {
            lock.unlock();
        }
        return subscription()
                .thenCompose(
                        ignored -> arrives ? broker.presenceJoin(id(), user) : CompletableFuture.completedFuture(null))
                .thenCompose(ignored -> readJoinPage(since, clientEpoch))
                .thenAccept(page -> completeJoin(member, page, ref))
                .whenComplete((ignored, error) -> {
                    if (error != null && members.get(roomMember.connection().id()) == member) {
                        leave(roomMember, true);
                    }
                });
    }

    private record JoinPage(String epoch, long lastSeq, boolean recovered, Slice slice) {}

    private CompletableFuture<JoinPage> readJoinPage(Long since, String clientEpoch) {
        long upTo;
        String currentEpoch;
        lock.lock();
        try {
            upTo = delivered;
            currentEpoch = epoch;
        } finally {
            lock.unlock();
        }
        boolean sameEpoch = clientEpoch == null || clientEpoch.equals(currentEpoch);
        if (since != null && sameEpoch && since <= upTo && upTo - since <= settings.recoverMax()) {
            if (since == upTo) {
                return CompletableFuture.completedFuture(
                        new JoinPage(currentEpoch, upTo, true, new Slice(currentEpoch, upTo, List.of(), false)));
            }
            return broker.readAfter(id(), since, (int) (upTo - since)).thenCompose(slice -> {
                List<ChatMessage> missed =
                        slice.messages().stream().filter(m -> m.seq() <= upTo).toList();
                boolean complete = !missed.isEmpty()
                        && missed.getFirst().seq() == since + 1
                        && missed.getLast().seq() == upTo
                        && slice.epoch().equals(currentEpoch);
                return complete
                        ? CompletableFuture.completedFuture(new JoinPage(
                                currentEpoch, upTo, true, new Slice(slice.epoch(), upTo, missed, slice.hasOlder())))
                        : latestPage(currentEpoch, upTo);
            });
        }
        return latestPage(currentEpoch, upTo);
    }

    private CompletableFuture<JoinPage> latestPage(String currentEpoch, long upTo) {
        return broker.readBefore(id(), upTo + 1, settings.joinHistory())
                .thenApply(slice -> new JoinPage(currentEpoch, upTo, false, slice));
    }

    private void completeJoin(Member member, JoinPage page, String ref) {
        lock.lock();
        try {
            if (members.get(member.member.connection().id()) != member) {
                return; // left while the page was read
            }
            UserInfo self = member.member.user();
            // Its own arrival may still be on the way back from the broker: it is present all the same (unless it
            // chose to be invisible: then it is never present).
            UserInfo joining = !member.member.listed() || present.containsKey(self.id()) ? null : self;
            PresencePage listed = visiblePresence(
                    self,
                    joining,
                    null,
                    member.member.pagedPresence() ? presenceConfig.joinedListLimit() : Integer.MAX_VALUE);
            int online = present.size() + (joining == null ? 0 : 1);
            batch.snapshotTaken(member.member.connection().id());
            member.member
                    .connection()
                    .send(reply(new Joined(
                            ref,
                            id(),
                            page.epoch(),
                            page.lastSeq(),
                            page.recovered(),
                            visibleTo(self.id(), page.slice().messages()),
                            page.slice().hasOlder(),
                            listed.users(),
                            online,
                            listed.next())));
            if (config.countOnly()) {
                member.member.connection().send(reply(new ServerMessage.PresenceCount(id(), online)));
            }
            for (ChatMessage live : member.buffered) {
                if (live.seq() > page.lastSeq()
                        && !hidden.test(self.id(), live.author().id())) {
                    member.member.connection().send(reply(live));
                }
            }
            member.buffered = null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes a connection. The user leaves the room for everyone when it has no other device on this node and either
     * left on purpose or has no grace period; otherwise it lingers, and the registry lets it go when its grace period runs out.
     */
    public void leave(RoomMember roomMember, boolean leftOnPurpose) {
        String userId = roomMember.user().id();
        boolean gone;
        lock.lock();
        try {
            Member member = members.get(roomMember.connection().id());
            if (member == null || !member.member.equals(roomMember)) {
                return; // not in the room, or already replaced by a re-join on the same connection
            }
            members.remove(roomMember.connection().id());
            gone = roomMember.listed()
                    && presence.disconnect(id(), userId, roomMember.connection().id(), leftOnPurpose);
        } finally {
            lock.unlock();
        }
        if (gone) {
            failures.watch("presence leave", broker.presenceLeave(id(), userId));
        }
        failures.watch("room subscription", subscription());
    }

    /** Takes every connection of a user out of the room, as if it had left on purpose (it lost its access). */
    public void evict(String userId) {
        members.values().stream()
                .filter(m -> m.member.user().id().equals(userId))
                .toList()
                .forEach(m -> leave(m.member, true));
    }

    /** Takes every connection out of the room, as if each had left on purpose (the room's data is gone). */
    void evictAll() {
        List.copyOf(members.values()).forEach(m -> leave(m.member, true));
    }

    /** A page of presence: the users listed, and the cursor of the next page (null on the last). */
    private record PresencePage(List<UserInfo> users, String next) {}

    /**
     * The users present that a viewer may see, in id order, after a cursor: the one place that decides who is listed
     * to whom (users who blocked each other are not; a count-only room lists nobody; invisible members never enter the
     * presence). Under the lock.
     *
     * @param joining a user to list as present although the mirror does not hold it yet (the viewer's own arrival,
     *                still on its way back from the broker), or null
     * @param after   list only users whose id sorts after this; null for the start
     * @param limit   at most this many
     */
    private PresencePage visiblePresence(UserInfo viewer, UserInfo joining, String after, int limit) {
        if (config.countOnly()) {
            return new PresencePage(List.of(), null); // members see only how many are here
        }
        NavigableMap<String, UserInfo> rest = after == null ? present : present.tailMap(after, false);
        UserInfo extra = joining != null && (after == null || joining.id().compareTo(after) > 0) ? joining : null;
        List<UserInfo> users = new ArrayList<>(Math.min(limit, rest.size() + 1));
        var candidates = rest.values().iterator();
        UserInfo candidate = candidates.hasNext() ? candidates.next() : null;
        while (candidate != null || extra != null) {
            UserInfo next;
            if (extra != null && (candidate == null || extra.id().compareTo(candidate.id()) < 0)) {
                next = extra;
                extra = null;
            } else {
                next = candidate;
                candidate = candidates.hasNext() ? candidates.next() : null;
            }
            if (!listedTo(viewer, next)) {
                continue;
            }
            if (users.size() == limit) {
                return new PresencePage(
                        users, users.isEmpty() ? after : users.getLast().id());
            }
            users.add(next);
        }
        return new PresencePage(users, null);
    }

    /** Whether a viewer sees a present user: not when either blocked the other. */
    private boolean listedTo(UserInfo viewer, UserInfo user) {
        return !hidden.test(viewer.id(), user.id());
    }

    /**
     * Sends a connection a page of who is present (the {@code presence} command), in order with the presence events it
     * is sent: a client that applies both in the order received converges to the room's presence.
     *
     * @param after the previous page's cursor, or null for the start
     * @param limit at most this many users; null for the largest page
     */
    public void sendPresencePage(RoomMember member, String after, Integer limit, String ref) {
        int size = Math.min(limit == null ? presenceConfig.pageMax() : limit, presenceConfig.pageMax());
        lock.lock();
        try {
            PresencePage page = visiblePresence(member.user(), null, after, size);
            batch.snapshotTaken(member.connection().id());
            member.connection()
                    .send(reply(new ServerMessage.Presence(ref, id(), page.users(), present.size(), page.next())));
        } finally {
            lock.unlock();
        }
    }

    /** How many users are present anywhere, as this node knows. */
    public int online() {
        lock.lock();
        try {
            return present.size();
        } finally {
            lock.unlock();
        }
    }

    /** The users present anywhere, as this node knows them, in id order. */
    public List<UserInfo> present() {
        lock.lock();
        try {
            return new ArrayList<>(present.values());
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Subscription

    /**
     * Subscribes while the room has local members and unsubscribes when it has none; returns a future completed once
     * the subscription knows where the room stands.
     */
    private CompletableFuture<Void> subscription() {
        synchronized (subscriptionLock) {
            boolean wanted = !members.isEmpty();
            if (wanted && subscription == null) {
                beginLoading();
                subscription = broker.subscribe(id(), this).thenCompose(ignored -> loadState());
                CompletableFuture<Void> current = subscription;
                current.exceptionally(error -> {
                    synchronized (subscriptionLock) {
                        if (subscription == current) {
                            subscription = null; // the next join tries again
                            broker.unsubscribe(id());
                        }
                    }
                    return null;
                });
            } else if (!wanted && subscription != null) {
                subscription = null;
                broker.unsubscribe(id());
                reset();
            }
            return subscription == null ? CompletableFuture.completedFuture(null) : subscription;
        }
    }

    /** Nothing heard before this subscription counts: the snapshot it loads is newer. */
    private void beginLoading() {
        lock.lock();
        try {
            heardWhileLoading.clear();
        } finally {
            lock.unlock();
        }
    }

    private CompletableFuture<Void> loadState() {
        CompletableFuture<Slice> head = broker.readBefore(id(), Long.MAX_VALUE, 0);
        CompletableFuture<List<UserInfo>> users = broker.presence(id());
        return head.thenCombine(users, (slice, list) -> {
            lock.lock();
            try {
                adoptEpoch(slice.epoch(), slice.lastSeq());
                delivered = Math.max(delivered, slice.lastSeq());
                applyPresenceSnapshot(list);
                ahead.headMap(delivered, true).clear();
                deliverInOrder();
            } finally {
                lock.unlock();
            }
            return null;
        });
    }

    /**
     * Takes the broker's presence as loaded, then the changes heard since the subscription began: a snapshot never
     * erases a join (or brings back a user who left) that was heard after it was taken. Pub/sub keeps each room's
     * events in order, so the last change heard for a user is its state. Under the lock.
     */
    private void applyPresenceSnapshot(List<UserInfo> snapshot) {
        present.clear();
        snapshot.forEach(u -> present.put(u.id(), u));
        for (Heard heard : heardWhileLoading.values()) {
            if (heard.present()) {
                present.putIfAbsent(heard.user().id(), heard.user());
            } else {
                present.remove(heard.user().id());
            }
        }
        heardWhileLoading.clear();
    }

    private void reset() {
        lock.lock();
        try {
            delivered = -1;
            ahead.clear();
            backfilling = false;
            heardWhileLoading.clear();
            presenceReloading = false;
            present.clear();
            batch.clear();
            if (presenceFlush != null) {
                presenceFlush.cancel(false);
                presenceFlush = null;
            }
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Feed from the broker

    @Override
    public void onMessage(String messageEpoch, ChatMessage message) {
        lock.lock();
        try {
            if (delivered < 0) {
                ahead.put(message.seq(), message); // the subscription does not know where the room stands yet
                return;
            }
            if (retiredEpochs.contains(messageEpoch)) {
                return; // published before the room moved to a new epoch, and heard late
            }
            adoptEpoch(messageEpoch, message.seq() - 1);
            if (message.seq() <= delivered) {
                return;
            }
            ahead.put(message.seq(), message);
            deliverInOrder();
        } finally {
            lock.unlock();
        }
    }

    /** Delivers what is next in line; asks for a backfill when a gap holds the rest back. Under the lock. */
    private void deliverInOrder() {
        while (!ahead.isEmpty() && ahead.firstKey() == delivered + 1) {
            deliver(ahead.pollFirstEntry().getValue());
        }
        if (!ahead.isEmpty() && !backfilling) {
            long from = delivered;
            int missing = (int) Math.min(ahead.firstKey() - delivered - 1, BACKFILL_BATCH);
            backfill(from, missing);
        }
    }

    private void backfill(long from, int count) {
        backfilling = true;
        long readGeneration = generation;
        background.execute(() -> failures.then("room backfill", broker.readAfter(id(), from, count), (slice, error) -> {
            lock.lock();
            try {
                backfilling = false;
                if (readGeneration != generation) {
                    return; // the room was reset while this was read
                }
                if (error != null) {
                    LOG.warn(
                            "room {}: backfill after seq {} failed ({}); waiting for the next resync",
                            id(),
                            from,
                            error.toString());
                    return;
                }
                metrics.roomBackfilled(applyBackfill(from, count, slice));
            } finally {
                lock.unlock();
            }
        }));
    }

    /** Queues what a read of history found after {@code from}; returns how many messages it found that were missing. */
    private int applyBackfill(long from, int count, Slice slice) {
        if (delivered < 0 || delivered != from && delivered > from + count) {
            return 0; // the room was reset or moved on meanwhile
        }
        if (adoptEpoch(slice.epoch(), slice.lastSeq())) {
            return 0;
        }
        int found = 0;
        for (ChatMessage message : slice.messages()) {
            if (message.seq() > delivered && ahead.put(message.seq(), message) == null) {
                found++;
            }
        }
        boolean readEverything = slice.messages().size() < count;
        if (readEverything && !ahead.isEmpty() && ahead.firstKey() > delivered + 1) {
            // The store no longer has them (trimmed by size or age): nobody can be given what is gone.
            long gone = ahead.firstKey() - delivered - 1;
            LOG.warn(
                    "room {}: {} messages after seq {} are no longer in history; skipping them", id(), gone, delivered);
            delivered = ahead.firstKey() - 1;
        }
        deliverInOrder();
        return found;
    }

    /**
     * Reads the room's presence again (pub/sub may have dropped joins and leaves while it was down) and tells the
     * members of every difference, as if they had heard it: the mirror converges to the truth after a reconnect.
     */
    @Override
    public void onPresenceResync() {
        long read;
        lock.lock();
        try {
            if (delivered < 0) {
                return; // the subscription is loading its snapshot anyway
            }
            presenceReloading = true;
            heardWhileLoading.clear();
            read = ++presenceReads;
        } finally {
            lock.unlock();
        }
        background.execute(() -> failures.then("room presence resync", broker.presence(id()), (users, error) -> {
            lock.lock();
            try {
                if (read != presenceReads || !presenceReloading) {
                    return; // a later read, or the room was unsubscribed meanwhile
                }
                presenceReloading = false;
                if (error != null) {
                    heardWhileLoading.clear();
                    return;
                }
                Map<String, UserInfo> before = new LinkedHashMap<>(present);
                applyPresenceSnapshot(users);
                announceDifferences(before);
            } finally {
                lock.unlock();
            }
        }));
    }

    /** Tells the members who arrived and who left between two states of the mirror. Under the lock. */
    private void announceDifferences(Map<String, UserInfo> before) {
        for (UserInfo user : present.values()) {
            if (!before.containsKey(user.id())) {
                announce(user, true);
            }
        }
        for (UserInfo user : before.values()) {
            if (!present.containsKey(user.id())) {
                announce(user, false);
            }
        }
    }

    /**
     * Tells the members that a user arrived or left, after the mirror took the change: members of version 1 at once;
     * members of version 2 at once too in a small room, in the next {@code presence_diff} in a busy one (and while a
     * batch is open, so that no event overtakes the batch); in a count-only room everyone hears the new count alone.
     * Under the lock.
     */
    private void announce(UserInfo user, boolean arrived) {
        if (members.isEmpty()) {
            return;
        }
        if (config.countOnly()) {
            broadcast(new ServerMessage.PresenceCount(id(), present.size()), null, false);
            return;
        }
        ServerMessage single = arrived
                ? new ServerMessage.PresenceJoined(id(), user, present.size())
                : new ServerMessage.PresenceLeft(id(), user, present.size());
        if (!batch.isOpen() && present.size() <= presenceConfig.batchAbove()) {
            broadcast(single, user.id(), arrived, Audience.EVERYONE);
            return;
        }
        broadcast(single, user.id(), arrived, Audience.VERSION_1);
        if (!batch.isOpen()) {
            batch.open();
            presenceFlush = scheduler.schedule(
                    background,
                    this::flushPresence,
                    presenceConfig.batchInterval().toNanos(),
                    TimeUnit.NANOSECONDS);
        }
        batch.record(user, arrived);
    }

    /** The batch's interval is over: members of version 2 hear what it changed, as one event. */
    void flushPresence() {
        lock.lock();
        try {
            PresenceBatch.Diff diff = batch.drain(members::containsKey);
            if (diff.isEmpty()) {
                return;
            }
            ServerMessage.PresenceDiff event =
                    new ServerMessage.PresenceDiff(id(), diff.joins(), diff.leaves(), present.size());
            EncodedFrame shared = null;
            int sent = 0;
            for (Member member : members.values()) {
                if (member.syncing() || !member.member.pagedPresence()) {
                    continue;
                }
                UserInfo viewer = member.member.user();
                EncodedFrame frame;
                if (diff.joins().stream().allMatch(u -> listedTo(viewer, u))
                        && diff.leaves().stream().allMatch(u -> listedTo(viewer, u))) {
                    if (shared == null) {
                        shared = encode(event);
                    }
                    frame = shared;
                } else {
                    frame = encode(new ServerMessage.PresenceDiff(
                            id(),
                            diff.joins().stream()
                                    .filter(u -> listedTo(viewer, u))
                                    .toList(),
                            diff.leaves().stream()
                                    .filter(u -> listedTo(viewer, u))
                                    .toList(),
                            present.size()));
                }
                member.member.connection().send(frame);
                sent++;
            }
            metrics.messagesOut(sent);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onResync() {
        long from;
        long readGeneration;
        lock.lock();
        try {
            if (delivered < 0 || backfilling) {
                return;
            }
            from = delivered;
            backfilling = true;
            readGeneration = generation;
        } finally {
            lock.unlock();
        }
        background.execute(() ->
                failures.then("room resync", broker.readAfter(id(), from, BACKFILL_BATCH), (slice, error) -> {
                    lock.lock();
                    try {
                        backfilling = false;
                        if (error == null && readGeneration == generation) {
                            applyBackfill(from, BACKFILL_BATCH, slice);
                        }
                    } finally {
                        lock.unlock();
                    }
                }));
    }

    /**
     * Takes the broker's epoch. A room that had no history yet (empty epoch) simply starts one; a different epoch after
     * messages were delivered means the history was reset. Returns true on a reset. Under the lock.
     *
     * @param newestKnown the newest seq of the new epoch known to exist: live delivery goes on after it
     */
    private boolean adoptEpoch(String brokerEpoch, long newestKnown) {
        if (brokerEpoch.equals(epoch)) {
            return false;
        }
        if (epoch == null || epoch.isEmpty() || delivered <= 0) {
            epoch = brokerEpoch;
            return false;
        }
        historyReset(brokerEpoch, newestKnown);
        return true;
    }

    /**
     * The room's history was reset (its store lost it, or came back with older data): sequence numbers of the old
     * epoch mean nothing any more, so every member must re-join. They are told to reconnect (4004), and their resume
     * finds the new epoch and answers {@code recovered: false} with the latest page. Under the lock.
     */
    private void historyReset(String newEpoch, long newestKnown) {
        LOG.warn("room {}: history was reset (epoch {} -> {}); asking its members to re-join", id(), epoch, newEpoch);
        retiredEpochs.addLast(epoch);
        if (retiredEpochs.size() > 8) {
            retiredEpochs.removeFirst();
        }
        retiredEpochs.remove(newEpoch);
        epoch = newEpoch;
        delivered = Math.max(0, newestKnown);
        generation++;
        ahead.clear();
        metrics.roomHistoryReset();
        for (Member member : members.values()) {
            member.member.connection().close(CloseCode.ROOM_RESET);
        }
    }

    private void deliver(ChatMessage message) {
        delivered = message.seq();
        if (members.isEmpty()) {
            return;
        }
        EncodedFrame frame = encode(message);
        int sent = 0;
        for (Member member : members.values()) {
            if (member.syncing()) {
                member.buffered.add(message);
            } else if (!hidden.test(member.member.user().id(), message.author().id())) {
                member.member.connection().send(frame);
                sent++;
            }
        }
        metrics.messagesOut(sent);
    }

    @Override
    public void onPresenceJoined(ServerMessage.PresenceJoined event) {
        lock.lock();
        try {
            if (delivered < 0 || presenceReloading) {
                heardWhileLoading.remove(event.user().id()); // keep the order of arrival
                heardWhileLoading.put(event.user().id(), new Heard(event.user(), true));
            }
            if (present.putIfAbsent(event.user().id(), event.user()) == null) {
                announce(event.user(), true);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onPresenceLeft(ServerMessage.PresenceLeft event) {
        lock.lock();
        try {
            if (delivered < 0 || presenceReloading) {
                heardWhileLoading.remove(event.user().id());
                heardWhileLoading.put(event.user().id(), new Heard(event.user(), false));
            }
            if (present.remove(event.user().id()) != null) {
                announce(event.user(), false);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onTyping(ServerMessage.TypingEvent event) {
        lock.lock();
        try {
            broadcast(event, event.user().id(), true);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onDeleted(ServerMessage.MessageDeleted event) {
        lock.lock();
        try {
            broadcast(event, null, false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onEdited(ServerMessage.MessageEdited event) {
        lock.lock();
        try {
            broadcast(event, event.author().id(), false);
        } finally {
            lock.unlock();
        }
    }

    private List<ChatMessage> visibleTo(String viewerId, List<ChatMessage> messages) {
        return messages.stream()
                .filter(m -> !hidden.test(viewerId, m.author().id()))
                .toList();
    }

    /** Which members an event goes to. */
    private enum Audience {
        EVERYONE,
        /** Members that speak protocol version 1 only: those of version 2 hear of the change in a batch. */
        VERSION_1;

        boolean includes(RoomMember member) {
            return this == EVERYONE || !member.pagedPresence();
        }
    }

    private void broadcast(ServerMessage event, String subjectId, boolean exceptSubject) {
        broadcast(event, subjectId, exceptSubject, Audience.EVERYONE);
    }

    /**
     * Sends an event about a user to members of the audience in sync, except that user's own devices when
     * {@code exceptSubject}, and except users who blocked it or whom it blocked. Under the lock.
     */
    private void broadcast(ServerMessage event, String subjectId, boolean exceptSubject, Audience audience) {
        EncodedFrame frame = null;
        int sent = 0;
        for (Member member : members.values()) {
            String viewer = member.member.user().id();
            if (!member.syncing()
                    && audience.includes(member.member)
                    && !(exceptSubject && viewer.equals(subjectId))
                    && (subjectId == null || !hidden.test(viewer, subjectId))) {
                if (frame == null) {
                    frame = encode(event);
                }
                member.member.connection().send(frame);
                sent++;
            }
        }
        metrics.messagesOut(sent);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // Commands

    /**
     * Stores and delivers a message; completes with the stored message once it is stored. A repeated client message
     * id of the same author gives back the message stored the first time ({@code duplicate}), delivered once only.
     */
    public CompletableFuture<Appended> publish(UserInfo author, String clientMsgId, String text) {
        return broker.append(id(), author, clientMsgId, text).thenApply(appended -> {
            if (!appended.duplicate()) {
                metrics.messageIn();
            }
            return appended;
        });
    }

    /** A page of history as this viewer may see it, oldest first. */
    public CompletableFuture<ServerMessage.History> history(String viewerId, Long before, Integer limit, String ref) {
        int pageSize = Math.min(limit == null ? settings.historyPageMax() : limit, settings.historyPageMax());
        return broker.readBefore(id(), before == null ? Long.MAX_VALUE : before, pageSize)
                .thenApply(slice ->
                        new ServerMessage.History(ref, id(), visibleTo(viewerId, slice.messages()), slice.hasOlder()));
    }

    /** Tells the other users in the room that this user started or stopped typing; nothing is stored. */
    public void typing(UserInfo user, boolean active) {
        broker.typing(id(), user, active);
    }

    private EncodedFrame encode(ServerMessage message) {
        return new EncodedFrame(codec.encode(message));
    }

    /** A frame for one member's connection only (see {@link EncodedFrame#forOne}). */
    private EncodedFrame reply(ServerMessage message) {
        return EncodedFrame.forOne(codec.encode(message));
    }
}
