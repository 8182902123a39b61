package org.kindred.server.runtime;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.kindred.server.metrics.KindredMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the failures of work nobody waits for go: a publication to other nodes, a bookkeeping step, a periodic task.
 * Each failure is logged (the task and the error, never a message's text or a token) and counted in
 * {@code kindred_failures_total}, tagged with the task, so an operator sees it and can alert on it.
 */
public final class Failures {

    private static final Logger LOG = LoggerFactory.getLogger(Failures.class);

    private final KindredMetrics metrics;

    /** The metrics failures are counted in, for parts that count more than their failures. */
    public KindredMetrics metrics() {
        return metrics;
    }

    public Failures(KindredMetrics metrics) {
        this.metrics = metrics;
    }

    /** Logs and counts a failure of this task. */
    public void record(String task, Throwable error) {
        Throwable cause = error.getCause() != null && error instanceof java.util.concurrent.CompletionException
                ? error.getCause()
                : error;
        LOG.warn("{} failed: {}", task, cause.toString());
        metrics.failure(task);
    }

    /** Logs and counts the failure of this work, if it fails. */
    public void watch(String task, CompletionStage<?> work) {
        work.toCompletableFuture().exceptionally(error -> {
            record(task, error);
            return null;
        });
    }

    /**
     * Runs an action once the work completes, with its value or its error; should the action itself throw, that is
     * logged and counted.
     */
    public <T> void then(String task, CompletionStage<T> work, BiConsumer<? super T, ? super Throwable> action) {
        watch(task, work.handle((value, error) -> {
            action.accept(value, error);
            return null;
        }));
    }

    /**
     * Runs a task every {@code period} until the scheduler stops; a run that throws is logged and counted, and the
     * next run happens anyway (a scheduled task that throws would otherwise never run again).
     */
    public ScheduledFuture<?> every(ScheduledExecutorService scheduler, Duration period, String task, Runnable run) {
        long millis = period.toMillis();
        return scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        run.run();
                    } catch (RuntimeException e) {
                        record(task, e);
                    }
                },
                millis,
                millis,
                TimeUnit.MILLISECONDS);
    }
}
