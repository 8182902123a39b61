package org.kindred.server.testing;

import com.github.benmanes.caffeine.cache.Scheduler;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A scheduler on a {@link FakeTime}: tasks wait until the test has moved the time past their due time and calls
 * {@link #runDue()}. Nothing runs by itself.
 */
public final class ManualScheduler implements Scheduler {

    private record Task(long dueNanos, Executor executor, Runnable command, CompletableFuture<Void> future) {}

    private final FakeTime time;
    private final List<Task> tasks = new ArrayList<>();

    public ManualScheduler(FakeTime time) {
        this.time = time;
    }

    @Override
    public synchronized Future<?> schedule(Executor executor, Runnable command, long delay, TimeUnit unit) {
        Task task = new Task(time.read() + unit.toNanos(delay), executor, command, new CompletableFuture<>());
        tasks.add(task);
        return task.future();
    }

    /** Runs every task whose time has come, on its executor; returns how many ran. */
    public int runDue() {
        List<Task> due = new ArrayList<>();
        synchronized (this) {
            long now = time.read();
            tasks.removeIf(task -> task.dueNanos() <= now && due.add(task));
        }
        for (Task task : due) {
            task.executor().execute(task.command());
            task.future().complete(null);
        }
        return due.size();
    }

    /** How many tasks wait for their time. */
    public synchronized int pending() {
        return tasks.size();
    }
}
