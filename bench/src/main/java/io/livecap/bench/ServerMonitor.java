package io.livecap.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * Once a second, reads the server's /proc and its {@code GET /v1/streams}: the time series behind CPU, memory,
 * backlog and the load average of a run. One request a second costs the server well under a millisecond.
 */
final class ServerMonitor implements AutoCloseable {

    /** One reading: /proc and the live streams, at the same moment. */
    record Sample(ProcSnapshot proc, List<ServerProcess.StreamState> streams) {

        long backlogMaxMs() {
            return streams.stream().mapToLong(ServerProcess.StreamState::backlogMs).max().orElse(0);
        }

        long liveCount() {
            return streams.stream().filter(s -> s.state().equals("live")).count();
        }
    }

    static final long PERIOD_MS = 1000;
    private static final Logger log = LoggerFactory.getLogger(ServerMonitor.class);

    private final ServerProcess server;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stopped;

    ServerMonitor(ServerProcess server) {
        this.server = server;
        this.thread = new Thread(this::run, "bench-monitor");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Takes one sample now, on the caller's thread (a run's first and last reading). */
    Sample sample() throws IOException, InterruptedException {
        List<ServerProcess.StreamState> streams = server.streams();
        Sample s = new Sample(ProcSnapshot.take(server.pid()), streams);
        samples.add(s);
        return s;
    }

    List<Sample> samples() {
        return List.copyOf(samples);
    }

    private void run() {
        long next = System.nanoTime();
        while (!stopped) {
            next += PERIOD_MS * 1_000_000;
            LockSupport.parkNanos(next - System.nanoTime()); // a fixed sampling clock, not a wait for anything
            if (stopped) {
                return;
            }
            try {
                sample();
            } catch (IOException | RuntimeException e) {
                log.warn("monitor: cannot sample the server: {}", e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopped = true;
        thread.interrupt();
        thread.join(5_000);
    }
}
