package org.kindred.server.support;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ServerMessage;
import org.kindred.protocol.UserInfo;
import org.kindred.protocol.WireCodec;
import org.kindred.server.connection.ConnectedUsers;
import org.kindred.server.connection.EncodedFrame;
import org.kindred.server.connection.Refusal;

/** Support on a single node: the service's own lock orders the commands. */
public final class LocalSupportStore implements SupportStore {

    private final SupportService service;
    private final ConnectedUsers users;
    private final WireCodec codec;

    /** Events to this node's connections. */
    public static SupportService.Notifier notifying(ConnectedUsers users, WireCodec codec) {
        return (userId, event) -> users.send(userId, new EncodedFrame(codec.encode(event)));
    }

    public LocalSupportStore(SupportService service, ConnectedUsers users, WireCodec codec) {
        this.service = service;
        this.users = users;
        this.codec = codec;
    }

    @Override
    public CompletableFuture<ServerMessage> execute(Call call) {
        try {
            return CompletableFuture.completedFuture(call.run(service));
        } catch (Refusal e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> canAccess(String userId, String sessionId) {
        return CompletableFuture.completedFuture(service.canAccess(userId, sessionId));
    }

    @Override
    public boolean isOpen(String sessionId) {
        return service.isOpen(sessionId);
    }

    @Override
    public Optional<String> mentorOf(String sessionId) {
        return service.mentorOf(sessionId);
    }

    @Override
    public void toOtherDevices(String userId, String connectionId, ServerMessage event) {
        users.sendExcept(userId, connectionId, new EncodedFrame(codec.encode(event)));
    }

    @Override
    public void touched(String sessionId) {
        service.touched(sessionId);
    }

    @Override
    public void connected(UserInfo user) {
        service.connected(user);
    }

    @Override
    public void disconnected(String userId) {
        service.disconnected(userId);
    }

    @Override
    public void tick() {
        service.tick();
    }

    @Override
    public Optional<SupportService.SessionRecord> record(String sessionId) {
        return service.record(sessionId);
    }

    @Override
    public void close() {}
}
