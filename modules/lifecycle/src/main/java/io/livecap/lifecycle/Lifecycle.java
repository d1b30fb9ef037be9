package io.livecap.lifecycle;

import io.livecap.reach.TaskKey;
import io.livecap.session.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
    private final Leases leases;
    private volatile boolean drained;

    public Lifecycle(ReachPoller poller, LiveTaskRepository tasks, LiveTaskRunner runner, Duration pollEvery,
                     Duration tick, Clock clock) {
        this(poller, tasks, runner, pollEvery, tick, clock, Leases.SOLO);
    }

    /**
     * @param leases which node acts on which task: every node polls (registering a task is idempotent), only the
     *               holder of a task's lease takes its steps
     */
    public Lifecycle(ReachPoller poller, LiveTaskRepository tasks, LiveTaskRunner runner, Duration pollEvery,
                     Duration tick, Clock clock, Leases leases) {
        this.leases = leases;
        this.poller = poller;
        this.tasks = tasks;
        this.runner = runner;
        this.pollEvery = pollEvery;
        this.tick = tick;
        this.clock = clock;
    }

    public void start() {
        // a task whose lease this node lost (it could not renew it in time) is another node's now: stop its
        // session and its captionUrl push here, without ending the event, so the new owner carries on
        leases.onLost(resource -> {
            if (resource.startsWith("task:")) {
                String[] key = resource.substring("task:".length()).split("/", 2);
                runner.abandon(new TaskKey(key[0], Long.parseLong(key[1])));
            }
        });
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
            List<LiveTask> active = tasks.active();
            // a node takes new tasks up to its fair share, so the first node up does not take every event; when a
            // node dies the share grows (after its heartbeat is a TTL old) and the others take its tasks over
            int share = (active.size() + leases.aliveNodes() - 1) / leases.aliveNodes();
            for (LiveTask task : active) {
                String lease = Leases.task(task.key().region(), task.key().id());
                // claimed here, one task after another, so that the share counts every claim of this tick
                if (!leases.holds(lease) && (leases.heldCount("task:") >= share || !leases.claim(lease).mine())) {
                    continue;
                }
                if (inFlight.add(task.key())) {
                    steps.execute(() -> {
                        try {
                            runner.advance(task.key());
                            if (tasks.find(task.key()).map(t -> t.state().isFinal()).orElse(true)) {
                                leases.release(lease);
                            }
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

    /**
     * Graceful drain (SIGTERM): no more polls, claims or steps; the steps in flight finish; then every task this node
     * holds is handed over at once ({@link LiveTaskRunner#handOver}: its last finals recognised, stored and
     * confirmed by Kaltura within {@code grace}, its captionUrl let go without eos) and its lease released, so
     * another node claims it at its next tick instead of after the TTL. Idempotent; {@link #close} after it only
     * waits.
     */
    public void drain(Duration grace) {
        if (drained) {
            return;
        }
        drained = true;
        stopTicking();
        List<Thread> handovers = new java.util.ArrayList<>();
        for (LiveTask task : tasks.active()) {
            String lease = Leases.task(task.key().region(), task.key().id());
            if (!leases.holds(lease)) {
                continue;
            }
            // one thread each: every stream finishes its captions in parallel, within one grace in all
            Thread t = new Thread(() -> {
                try {
                    runner.handOver(task.key(), grace);
                } catch (RuntimeException e) {
                    log.warn("{}: hand-over failed ({}); its lease is released anyway, the next owner resumes from"
                            + " the store", task, e.toString());
                } finally {
                    leases.release(lease);
                }
            }, "drain-" + task.key().id());
            t.start();
            handovers.add(t);
        }
        long deadline = System.nanoTime() + grace.multipliedBy(2).plusSeconds(10).toNanos();
        for (Thread t : handovers) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        log.info("REACH lifecycle drained: {} tasks handed over", handovers.size());
    }

    /** No new tick; the poll and the steps in flight finish (or see their interrupt). */
    private void stopTicking() {
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

    @Override
    public void close() {
        stopTicking();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
