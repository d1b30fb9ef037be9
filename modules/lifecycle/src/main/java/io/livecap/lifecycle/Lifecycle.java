package io.livecap.lifecycle;

import io.livecap.reach.TaskKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives every Live task on schedule: polls REACH every {@code pollEvery}, and on every tick hands each active task
 * to the {@link LiveTaskRunner} on a pool - one step at a time per task, so a slow REACH call for one task
 * never holds up another, and no task is ever advanced twice at once.
 */
public final class Lifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);

    private final ReachPoller poller;
    private final LiveTaskRepository tasks;
    private final LiveTaskRunner runner;
    private final Duration pollEvery;
    private final Duration tick;
    private final Clock clock;
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lifecycle"));
    // not a fixed pool: a cut-off waits up to ~45 s for the last finals and their receipts, and tasks of one event
    // end together; a handful of blocked threads must not hold up another task's PROCESSING. At most one thread per
    // active task (inFlight), idle ones expire.
    private final ExecutorService steps = Executors.newCachedThreadPool(r -> daemon(r, "lifecycle-step"));
    private final Set<TaskKey> inFlight = ConcurrentHashMap.newKeySet();
    private volatile Instant nextPoll = Instant.MIN;

    public Lifecycle(ReachPoller poller, LiveTaskRepository tasks, LiveTaskRunner runner, Duration pollEvery,
                     Duration tick, Clock clock) {
        this.poller = poller;
        this.tasks = tasks;
        this.runner = runner;
        this.pollEvery = pollEvery;
        this.tick = tick;
        this.clock = clock;
    }

    public void start() {
        int resumed = tasks.active().size();
        log.info("REACH lifecycle: polling every {} s, {} active tasks resumed from the database",
                pollEvery.toSeconds(), resumed);
        ticker.scheduleWithFixedDelay(this::tick, 0, tick.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void tick() {
        try {
            Instant now = clock.instant();
            if (!now.isBefore(nextPoll)) {
                nextPoll = now.plus(pollEvery);
                poller.poll();
            }
            for (LiveTask task : tasks.active()) {
                if (inFlight.add(task.key())) {
                    steps.execute(() -> {
                        try {
                            runner.advance(task.key());
                        } finally {
                            inFlight.remove(task.key());
                        }
                    });
                }
            }
        } catch (RuntimeException e) {
            log.error("REACH lifecycle tick failed; next tick in {} ms", tick.toMillis(), e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        steps.shutdown();
        try {
            // a poll in flight must finish (or see its interrupt) before the caller closes the database under it
            ticker.awaitTermination(10, TimeUnit.SECONDS);
            steps.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
