package io.livecap.sandbox;

import org.java_websocket.WebSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One event's live media on its {@code mediaUrl}: while the event is on and someone is watching, an ffmpeg
 * broadcasts the sample in real time to every viewer; nobody watching, nothing runs. A viewer who connects before
 * the start waits for it; at the end every viewer is closed (1000). The broadcast runs from the event's start and
 * overruns the ordered slot by one more {@code endTimeBuffer} ({@link SandboxEvent#mediaEnd}), as a live event
 * that runs late does: a vendor that captions past the slot's end is caught doing it.
 */
final class LiveMedia {

    /** MPEG-TS packets are 188 bytes: a message always holds whole packets, so a late joiner can resynchronise. */
    static final int TS_PACKET = 188;
    private static final Logger log = LoggerFactory.getLogger(LiveMedia.class);
    private static final Duration RESTART_DELAY = Duration.ofSeconds(1);

    private final SandboxEvent event;
    private final MediaSource source;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Set<WebSocket> viewers = new LinkedHashSet<>();
    private Process process;
    private boolean startScheduled;
    private boolean ended;

    LiveMedia(SandboxEvent event, MediaSource source, ScheduledExecutorService timer, Clock clock) {
        this.event = event;
        this.source = source;
        this.timer = timer;
        this.clock = clock;
        long untilEnd = Duration.between(clock.instant(), event.mediaEnd).toMillis();
        timer.schedule(() -> end(1000, "the event has ended"), Math.max(0, untilEnd), TimeUnit.MILLISECONDS);
    }

    synchronized void join(WebSocket viewer) {
        Instant now = clock.instant();
        if (ended || !now.isBefore(event.mediaEnd)) {
            viewer.close(1000, "the event has ended");
            return;
        }
        viewers.add(viewer);
        if (now.isBefore(event.start)) {
            if (!startScheduled) {
                startScheduled = true;
                timer.schedule(this::startIfWatched, Duration.between(now, event.start).toMillis(),
                        TimeUnit.MILLISECONDS);
            }
        } else {
            ensureRunning(now);
        }
    }

    synchronized void leave(WebSocket viewer) {
        viewers.remove(viewer);
        if (viewers.isEmpty()) {
            stop();
        }
    }

    /** Closes every viewer and stops for good (the event ended, or the task was cancelled). */
    void end(int code, String reason) {
        List<WebSocket> closing;
        synchronized (this) {
            ended = true;
            stop();
            closing = new ArrayList<>(viewers);
            viewers.clear();
        }
        closing.forEach(viewer -> viewer.close(code, reason));
    }

    private synchronized void startIfWatched() {
        startScheduled = false;
        if (!ended && !viewers.isEmpty()) {
            ensureRunning(clock.instant());
        }
    }

    private void ensureRunning(Instant now) {
        if (process != null && process.isAlive()) {
            return;
        }
        // the timer may fire a few ms early: never play from before the start
        Duration into = now.isBefore(event.start) ? Duration.ZERO : Duration.between(event.start, now);
        Duration remaining = Duration.between(event.start.plus(into), event.mediaEnd);
        try {
            Process started = source.process(into, remaining).start();
            process = started;
            Thread pump = new Thread(() -> pump(started), "sandbox-media-" + event.region + "-" + event.id);
            pump.setDaemon(true);
            pump.start();
            log.info("sandbox {} event {}: media playing from {} s into the event", event.region, event.id,
                    into.toSeconds());
        } catch (IOException e) {
            log.error("sandbox {} event {}: cannot start ffmpeg: {}", event.region, event.id, e.getMessage());
        }
    }

    private void pump(Process running) {
        byte[] buffer = new byte[TS_PACKET * 64];
        int filled = 0;
        try (InputStream ts = running.getInputStream()) {
            int n;
            while ((n = ts.read(buffer, filled, buffer.length - filled)) > 0) {
                filled += n;
                int whole = filled - filled % TS_PACKET;
                if (whole > 0) {
                    broadcast(ByteBuffer.wrap(buffer, 0, whole));
                    System.arraycopy(buffer, whole, buffer, 0, filled - whole);
                    filled -= whole;
                }
            }
        } catch (IOException e) {
            // the process was stopped under us
        }
        try {
            running.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        afterExit(running);
    }

    private void broadcast(ByteBuffer packets) {
        List<WebSocket> watching;
        synchronized (this) {
            watching = new ArrayList<>(viewers);
        }
        for (WebSocket viewer : watching) {
            if (viewer.isOpen()) {
                viewer.send(packets.duplicate());
            }
        }
    }

    private synchronized void afterExit(Process exited) {
        if (process != exited) {
            return;
        }
        process = null;
        Instant now = clock.instant();
        if (!ended && !viewers.isEmpty() && now.plus(RESTART_DELAY).isBefore(event.mediaEnd)) {
            log.warn("sandbox {} event {}: ffmpeg stopped early (exit {}); restarting", event.region, event.id,
                    exited.isAlive() ? "?" : String.valueOf(exited.exitValue()));
            startScheduled = true;
            timer.schedule(this::startIfWatched, RESTART_DELAY.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void stop() {
        if (process != null) {
            process.destroy();
            process = null;
        }
    }
}
