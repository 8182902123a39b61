package org.kindred.server.room;

import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;

/**
 * The rules of a listed room (from the configuration file, or made at run time): its audience may read it; its
 * writers, when it names some, may post. A room made at run time may be edited: the policy then follows its new
 * configuration.
 */
final class ConfiguredRoomPolicy implements RoomPolicy {

    private static final CompletableFuture<Boolean> YES = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Boolean> NO = CompletableFuture.completedFuture(false);
    private static final CompletableFuture<Grant> FREE = CompletableFuture.completedFuture(Grant.FREE);

    private volatile RoomConfig config;

    ConfiguredRoomPolicy(RoomConfig config) {
        this.config = config;
    }

    /** The room was edited. */
    void update(RoomConfig edited) {
        this.config = edited;
    }

    @Override
    public CompletableFuture<Boolean> admits(Identity user, String roomId) {
        return config.audience().admits(user) ? YES : NO;
    }

    @Override
    public CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId) {
        RoomConfig current = config;
        if (!current.writableBy(user.roleNames())) {
            return CompletableFuture.failedFuture(new Refusal(
                    ErrorCode.FORBIDDEN,
                    "only "
                            + String.join(
                                    ", ", current.writers().stream().sorted().toList()) + " may post in room '"
                            + roomId + "'"));
        }
        return FREE;
    }

    @Override
    public boolean known(String roomId) {
        return true;
    }
}
