package org.kindred.server.cli;

import java.net.BindException;
import java.net.UnknownHostException;
import java.util.Locale;
import org.kindred.server.config.KindredConfig;
import org.kindred.server.config.RedisConfig;
import org.kindred.server.redis.RedisUnreachableException;
import org.kindred.server.store.StorageUnavailableException;

/**
 * Turns an exception that stopped a node from starting into one line an operator can act on: the port in use, Redis
 * unreachable, the database unreachable or locked, an address that is not this machine's. The stack trace is for developers (logged at DEBUG).
 */
public final class StartupFailure {

    private StartupFailure() {}

    /** One line, without the {@code kindred:} prefix, naming what failed and the setting to look at. */
    public static String describe(Throwable failure, KindredConfig config) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            if (t instanceof StorageUnavailableException) {
                return t.getMessage() + " at " + config.storage()
                        + " (check storage.url / KINDRED_STORAGE_URL, or storage.dataDir / KINDRED_DATA_DIR:"
                        + " one node per directory)";
            }
            if (t instanceof BindException || message.contains("address already in use")) {
                return message.contains("cannot assign requested address")
                        ? listenOn(config) + ": " + config.host() + " is not an address of this machine (set host / "
                                + "KINDRED_HOST)"
                        : listenOn(config) + ": the port is already in use (is another node running? set port / "
                                + "KINDRED_PORT)";
            }
            if (message.contains("cannot assign requested address") || t instanceof UnknownHostException) {
                return listenOn(config) + ": " + config.host() + " is not an address of this machine (set host / "
                        + "KINDRED_HOST)";
            }
            if (t instanceof RedisUnreachableException) {
                return "cannot reach Redis at "
                        + config.redis().map(RedisConfig::displayUrl).orElse("?") + ": "
                        + rootMessage(t) + " (check redis.url / KINDRED_REDIS_URL and that Redis is up)";
            }
        }
        Throwable root = root(failure);
        return "cannot start: " + root.getClass().getSimpleName()
                + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }

    private static String listenOn(KindredConfig config) {
        return "cannot listen on " + config.host() + ":" + config.port();
    }

    private static String rootMessage(Throwable t) {
        Throwable root = root(t);
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }

    private static Throwable root(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}
