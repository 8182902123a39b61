package org.kindred.server.runtime;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;

/**
 * The node's own threads (its timers, a store's command thread): daemon threads with a name, so they never keep the
 * JVM alive and a thread dump says what each one is for.
 */
public final class DaemonThreads {

    private DaemonThreads() {}

    /** Makes daemon threads called {@code name}. */
    public static ThreadFactory named(String name) {
        return Thread.ofPlatform().name(name).daemon(true).factory();
    }

    /** One daemon thread that runs tasks in order. */
    public static ExecutorService single(String name) {
        return Executors.newSingleThreadExecutor(named(name));
    }

    /** One daemon thread that runs tasks on time. */
    public static ScheduledExecutorService scheduler(String name) {
        return Executors.newSingleThreadScheduledExecutor(named(name));
    }
}
