package org.kindred.server.room;

import java.util.concurrent.CompletableFuture;
import org.kindred.protocol.ErrorCode;
import org.kindred.server.config.RoomConfig;
import org.kindred.server.connection.Refusal;
import org.kindred.server.identity.Identity;

/** The rules of a room from the configuration: everyone may read it; its writers, when it names some, may post. */
final class ConfiguredRoomPolicy implements RoomPolicy {

    private static final CompletableFuture<Boolean> YES = CompletableFuture.completedFuture(true);
    private static final CompletableFuture<Grant> FREE = CompletableFuture.completedFuture(Grant.FREE);

    private final RoomConfig config;

    ConfiguredRoomPolicy(RoomConfig config) {
        this.config = config;
    }

    @Override
    public CompletableFuture<Boolean> admits(Identity user, String roomId) {
        return YES;
    }

    @Override
    public CompletableFuture<Grant> mayPost(Identity user, String roomId, String clientMsgId) {
        if (!config.writableBy(user.roleNames())) {
            return CompletableFuture.failedFuture(new Refusal(
                    ErrorCode.FORBIDDEN,
                    "only "
                            + String.join(
                                    ", ", config.writers().stream().sorted().toList()) + " may post in room '" + roomId
                            + "'"));
        }
        return FREE;
    }

    @Override
    public boolean known(String roomId) {
        return true;
    }
}
