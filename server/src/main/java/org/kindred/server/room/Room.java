package org.kindred.server.room;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.kindred.protocol.RoomInfo;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.ServerMessage.Ack;
import org.kindred.protocol.ServerMessage.ChatMessage;
import org.kindred.protocol.ServerMessage.Joined;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.auth.Identity;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.metrics.KindredMetrics;
import org.kindred.server.presence.PresenceTracker;
import org.kindred.server.session.EncodedFrame;

/**
 * One room on this node: the sequence of its messages, its history, its members and who is announced as present.
 *
 * <p>Every change happens under one lock, and frames are queued to members while it is held, so each member receives
 * a room's events in sequence order and a join's reply comes before any message newer than it. Queueing never blocks
 * (connections buffer and cut off slow readers), so the lock is held only for as long as encoding and enqueueing take.
 * Each broadcast is encoded once and the same bytes go to every member.
 */
public final class Room {

    private final RoomConfig config;
    private final RoomSettings settings;
    private final WireCodec codec;
    private final Clock clock;
    private final PresenceTracker presence;
    private final IdempotencyCache idempotency;
    private final KindredMetrics metrics;

    private final ReentrantLock lock = new ReentrantLock();
    private final String epoch = MessageIds.nextEpoch();
    private final RoomHistory history;
    /** Connections in the room, by connection id. Concurrent so a member closed mid-broadcast cannot break iteration. */
    private final Map<String, RoomMember> members = new ConcurrentHashMap<>();
    /** Users the room has been told are present, in order of arrival; guarded by the lock. */
    private final Map<String, UserInfo> announced = new LinkedHashMap<>();
    private long lastSeq;

    Room(RoomConfig config, RoomSettings settings, WireCodec codec, Clock clock, PresenceTracker presence,
         IdempotencyCache idempotency, KindredMetrics metrics) {
        this.config = config;
        this.settings = settings;
        this.codec = codec;
        this.clock = clock;
        this.presence = presence;
        this.idempotency = idempotency;
        this.metrics = metrics;
        this.history = new RoomHistory(settings.historySize(), settings.historyMaxAge(), clock);
    }

    public String id() {
        return config.id();
    }

    /** The roles that may post here; empty when everyone may. */
    public java.util.Set<String> writers() {
        return config.writers();
    }

    /** Whether a user with these roles may post here. */
    public boolean canPost(Identity identity) {
        return config.writableBy(identity.roleNames());
    }

    /** The room as listed to a user. */
    public RoomInfo info(Identity viewer) {
        lock.lock();
        try {
            return new RoomInfo(config.id(), config.title(), config.description(), config.tags(), announced.size(),
                    canPost(viewer));
        } finally {
            lock.unlock();
        }
    }

    /** Whether any connection of this node is in the room. */
    public boolean hasMembers() {
        return !members.isEmpty();
    }

    /**
     * Adds a connection and sends it the join reply: recent messages (all of them after {@code since} when the
     * history still has them) and who is present. Others hear that the user arrived if it was not present already.
     */
    public void join(RoomMember member, Long since, String clientEpoch, String ref) {
        lock.lock();
        try {
            UserInfo user = member.user();
            presence.connect(id(), user, member.connection().id());
            if (!announced.containsKey(user.id())) {
                announced.put(user.id(), user);
                broadcast(new ServerMessage.PresenceJoined(id(), user, announced.size()), user.id());
            }
            members.put(member.connection().id(), member);
            member.connection().send(encode(joinReply(since, clientEpoch, ref)));
        } finally {
            lock.unlock();
        }
    }

    private Joined joinReply(Long since, String clientEpoch, String ref) {
        boolean sameEpoch = clientEpoch == null || clientEpoch.equals(epoch);
        Optional<List<ChatMessage>> missed = since != null && sameEpoch
                ? history.after(since, lastSeq)
                : Optional.empty();
        List<ChatMessage> messages = missed.orElseGet(() -> history.before(lastSeq + 1, settings.joinHistory()));
        long firstSeq = messages.isEmpty() ? lastSeq + 1 : messages.getFirst().seq();
        return new Joined(ref, id(), epoch, lastSeq, missed.isPresent(), messages, history.hasOlderThan(firstSeq),
                List.copyOf(announced.values()));
    }

    /**
     * Removes a connection. The user is announced as gone when it has no other device here and either left on
     * purpose or has no grace period left; otherwise it lingers and {@link #lingerExpired} may announce it later.
     */
    public void leave(RoomMember member, boolean leftOnPurpose) {
        lock.lock();
        try {
            if (members.remove(member.connection().id()) == null) {
                return;
            }
            String userId = member.user().id();
            if (presence.disconnect(id(), userId, member.connection().id(), leftOnPurpose)) {
                announceLeft(userId);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Announces a lingering user as gone, unless it came back in the meantime. */
    void lingerExpired(String userId) {
        lock.lock();
        try {
            if (!presence.isPresent(id(), userId)) {
                announceLeft(userId);
            }
        } finally {
            lock.unlock();
        }
    }

    private void announceLeft(String userId) {
        UserInfo user = announced.remove(userId);
        if (user != null) {
            broadcast(new ServerMessage.PresenceLeft(id(), user, announced.size()), null);
        }
    }

    /**
     * Stores and delivers a message, or returns the original ack when this user already sent this client message id.
     */
    public Ack publish(UserInfo author, String clientMsgId, String text, String ref) {
        lock.lock();
        try {
            Ack earlier = idempotency.find(id(), author.id(), clientMsgId);
            if (earlier != null) {
                return new Ack(ref, earlier.room(), earlier.clientMsgId(), earlier.id(), earlier.seq(), earlier.ts(), true);
            }
            long seq = ++lastSeq;
            ChatMessage message = new ChatMessage(id(), seq, MessageIds.next(), author, text, clock.millis(), clientMsgId);
            history.append(message);
            broadcast(message, null);
            Ack ack = new Ack(ref, id(), clientMsgId, message.id(), seq, message.ts(), false);
            idempotency.remember(author.id(), ack);
            metrics.messageIn();
            return ack;
        } finally {
            lock.unlock();
        }
    }

    /** A page of history, oldest first. */
    public ServerMessage.History history(Long before, Integer limit, String ref) {
        int pageSize = Math.min(limit == null ? settings.historyPageMax() : limit, settings.historyPageMax());
        lock.lock();
        try {
            long upper = before == null ? lastSeq + 1 : before;
            List<ChatMessage> page = history.before(upper, pageSize);
            long firstSeq = page.isEmpty() ? upper : page.getFirst().seq();
            return new ServerMessage.History(ref, id(), page, history.hasOlderThan(firstSeq));
        } finally {
            lock.unlock();
        }
    }

    /** Tells the other users in the room that this user started or stopped typing; nothing is stored. */
    public void typing(UserInfo user, boolean active) {
        lock.lock();
        try {
            broadcast(new ServerMessage.TypingEvent(id(), user, active), user.id());
        } finally {
            lock.unlock();
        }
    }

    /** The users announced present, in order of arrival. */
    public List<UserInfo> present() {
        lock.lock();
        try {
            return new ArrayList<>(announced.values());
        } finally {
            lock.unlock();
        }
    }

    private void broadcast(ServerMessage message, String exceptUserId) {
        Collection<RoomMember> recipients = members.values();
        if (recipients.isEmpty()) {
            return;
        }
        EncodedFrame frame = encode(message);
        int sent = 0;
        for (RoomMember member : recipients) {
            if (exceptUserId == null || !exceptUserId.equals(member.user().id())) {
                member.connection().send(frame);
                sent++;
            }
        }
        metrics.messagesOut(sent);
    }

    private EncodedFrame encode(ServerMessage message) {
        return new EncodedFrame(codec.encode(message));
    }
}
