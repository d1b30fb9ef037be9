package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * When the compressed chunks of a pushed stream arrived, by their pts headers: tells which chunk held the audio of a
 * decoded frame, so each PCM chunk carries the arrival time of its own media, not the time ffmpeg happened to emit it.
 *
 * <p>A frame belongs to the last chunk, in arrival order, whose pts is at or before the frame's and not more than
 * {@link #MAX_SPAN_S} before it: comparing in arrival order (not by pts alone) keeps a backward pts reset from
 * matching chunks of the old clock. Headers that match no frame (a client stamping something else) fall back to the
 * newest arrival, an upper bound that is close for a live source. Thread-safe: chunks are added on the writer's side,
 * looked up on the reader's.
 */
final class ArrivalLog {

    static final int MAX_SPAN_S = 30;
    private static final int MAX_ROWS = 10_000;
    private static final Logger log = LoggerFactory.getLogger(ArrivalLog.class);

    private record Arrival(long pts, long epochMs) {
    }

    private final String streamId;
    private final PtsClock clock;
    private final long maxSpanTicks;
    private final ArrayDeque<Arrival> arrivals = new ArrayDeque<>();
    private boolean warned;

    ArrivalLog(String streamId, PtsClock clock) {
        this.streamId = streamId;
        this.clock = clock;
        this.maxSpanTicks = MAX_SPAN_S * clock.timescale();
    }

    synchronized void add(long pts, long epochMs) {
        arrivals.addLast(new Arrival(clock.wrap(pts), epochMs));
        if (arrivals.size() > MAX_ROWS) {
            arrivals.removeFirst();
        }
    }

    /** Arrival epoch of the chunk that held the frame with (wrapped) pts {@code framePts}. */
    synchronized long epochOf(long framePts) {
        if (arrivals.isEmpty()) {
            return System.currentTimeMillis();
        }
        int match = -1;
        int index = 0;
        for (Iterator<Arrival> it = arrivals.iterator(); it.hasNext(); index++) {
            long d = clock.delta(it.next().pts, framePts);
            if (d >= 0 && d <= maxSpanTicks) {
                match = index;
            } else if (match >= 0) {
                break;
            }
        }
        if (match < 0) {
            if (!warned) {
                warned = true;
                log.warn("stream {}: chunk pts headers do not match the media's own timestamps (frame pts {}, "
                        + "newest header {}); epochs fall back to the newest arrival", streamId, framePts,
                        arrivals.peekLast().pts);
            }
            return arrivals.peekLast().epochMs;
        }
        for (int i = 0; i < match; i++) {
            arrivals.removeFirst(); // frames come out in order: older chunks are done with
        }
        return arrivals.peekFirst().epochMs;
    }
}
