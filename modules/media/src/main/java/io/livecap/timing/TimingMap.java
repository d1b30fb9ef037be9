package io.livecap.timing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One source's mapping table: one row per received chunk, (sample offset of its first sample, its place on the
 * stream's timeline, arrival epoch, pts). Any offset into the audio this source delivered (what the recogniser
 * counts in) maps to {@link MediaTime} by finding its chunk and adding the offset inside it.
 *
 * <p>{@code start} is the stream id's timeline, not this source's: it begins where the previous source of the stream
 * left it ({@link #continueAfter}) and moves on by the length of every {@link TimelineGap} (a reconnect), so an
 * encoder that comes back mid-event never sends it back to 0. Between gaps it is counted in samples, so it stays
 * continuous whatever the source's pts do. A pts that is not where the previous chunk's audio said it would be is
 * recorded as a {@link Discontinuity}; a pts that falls by more than half the wrap range is a wrap, not a
 * discontinuity. Memory stays bounded: {@link #forgetBefore} drops rows no caption can refer to any more.
 * Not thread-safe: one session thread appends and looks up.
 */
public final class TimingMap {

    /** Jitter that is not a discontinuity: a source's pts are rounded to its clock, and some muxers wobble by a tick or two. */
    private static final long TOLERANCE_MS = 2;

    /**
     * A gap whose pts delta lies within this much of its wall-clock length (and is not negative) is measured by the
     * pts: the source's clock kept running, and it knows better than arrival times how much media was missed. Beyond
     * it the clock was reset or belongs to another encoder, and only the wall clock is left.
     */
    static final long PTS_TRUSTED_BEYOND_WALL_MS = 60_000;

    /** {@code offsetMs}: the timeline ms of this source's sample 0 as far as this row is concerned (origin + gaps). */
    private record Row(long firstSample, long offsetMs, long epochMs, long pts, int samples) {
    }

    private final int sampleRate;
    private final long timescale;
    private final int ptsBits;
    private final long ptsModulus; // 0 = never wraps
    private final Deque<Row> rows = new ArrayDeque<>();
    private final List<Discontinuity> discontinuities = new ArrayList<>();
    private final List<TimelineGap> gaps = new CopyOnWriteArrayList<>(); // the operator API reads it
    private TimelinePoint previous;   // where the stream's previous source left the timeline, until our first chunk
    private long offsetMs;            // timeline ms of sample 0: origin plus the gaps so far
    private TimelineGap pendingGap;   // measured when it was announced, applied at the next chunk
    private long totalSamples;
    private long discontinuityCount;
    private long wrapCount;

    public TimingMap(int sampleRate, long timescale, int ptsBits) {
        if (sampleRate <= 0 || timescale <= 0 || ptsBits < 1 || ptsBits > 64) {
            throw new IllegalArgumentException("bad timing: rate " + sampleRate + ", timescale " + timescale
                    + ", pts_bits " + ptsBits);
        }
        this.sampleRate = sampleRate;
        this.timescale = timescale;
        this.ptsBits = ptsBits;
        this.ptsModulus = ptsBits >= 63 ? 0 : 1L << ptsBits;
    }

    /**
     * This source continues a stream whose previous source left the timeline at {@code previous}: the first chunk
     * starts there plus the gap between them (by the pts when they continue, else by the wall clock). Call before
     * the first {@link #append}.
     */
    public void continueAfter(TimelinePoint previous) {
        if (!rows.isEmpty() || totalSamples > 0) {
            throw new IllegalStateException("the timeline continues before the first chunk, not after");
        }
        this.previous = previous;
        this.offsetMs = previous.endMs();
    }

    /**
     * The source dropped and came back (a pull reconnect): no audio arrived between {@code lastEpochMs} and
     * {@code resumeEpochMs}, and the next chunk has {@code resumePts} where continuous audio would have had
     * {@code expectedPts}. The timeline moves on by the gap at the next chunk.
     */
    public TimelineGap gap(long lastEpochMs, long resumeEpochMs, long expectedPts, long resumePts, String cause) {
        long ptsDelta = shortestDelta(wrap(expectedPts), wrap(resumePts));
        pendingGap = measure(offsetMs + durationMs(), Math.max(0, resumeEpochMs - lastEpochMs), wrap(expectedPts),
                wrap(resumePts), ptsDelta, cause);
        return pendingGap;
    }

    /**
     * Records a chunk of {@code samples} sample frames whose first sample has {@code pts} and which arrived at
     * {@code epochMs}. Returns the discontinuity it starts, or null when it continues the previous chunk.
     */
    public Discontinuity append(long pts, long epochMs, int samples) {
        if (samples < 0) {
            throw new IllegalArgumentException("negative sample count " + samples);
        }
        long wrapped = wrap(pts);
        Discontinuity jump = null;
        Row last = rows.peekLast();
        if (last == null && previous != null && samples > 0) {
            startAfterPrevious(wrapped, epochMs);
        }
        if (pendingGap != null) {
            offsetMs += pendingGap.lengthMs();
            remember(gaps, pendingGap);
            pendingGap = null;
        }
        if (last != null) {
            long expected = wrap(last.pts + ticks(last.samples));
            long delta = shortestDelta(expected, wrapped);
            if (Math.abs(delta) * 1000 > TOLERANCE_MS * timescale) {
                jump = new Discontinuity(offsetMs + ms(totalSamples), expected, wrapped, delta);
                remember(discontinuities, jump);
                discontinuityCount++;
            }
            if (ptsModulus != 0 && wrapped < last.pts && jump == null) {
                wrapCount++;
            }
        }
        if (samples > 0) {
            rows.addLast(new Row(totalSamples, offsetMs, epochMs, wrapped, samples));
            totalSamples += samples;
        }
        return jump;
    }

    private void startAfterPrevious(long firstPts, long epochMs) {
        TimelinePoint before = previous;
        previous = null;
        boolean sameClock = before.timescale() == timescale && before.ptsBits() == ptsBits;
        Long ptsDelta = sameClock ? shortestDelta(wrap(before.nextPts()), firstPts) : null;
        TimelineGap gap = measure(before.endMs(), Math.max(0, epochMs - before.lastArrivalEpochMs()),
                before.nextPts(), firstPts, ptsDelta, "a new source for the stream");
        offsetMs = before.endMs() + gap.lengthMs();
        remember(gaps, gap);
    }

    private TimelineGap measure(long atMs, long wallMs, long expectedPts, long resumePts, Long ptsDelta,
                                String cause) {
        if (ptsDelta != null && ptsDelta >= 0) {
            long ptsMs = Math.floorDiv(Math.multiplyExact(ptsDelta, 1000L), timescale);
            if (ptsMs <= wallMs + PTS_TRUSTED_BEYOND_WALL_MS) {
                return new TimelineGap(atMs, ptsMs, wallMs, expectedPts, resumePts, TimelineGap.Measure.PTS, cause);
            }
        }
        return new TimelineGap(atMs, wallMs, wallMs, expectedPts, resumePts, TimelineGap.Measure.WALL_CLOCK, cause);
    }

    /** The three clocks of the sample at {@code offsetMs} of this source's audio. */
    public MediaTime at(long offsetMs) {
        return atSample(offsetMs * sampleRate / 1000);
    }

    /** The three clocks of the sample with index {@code sample} (0 = this source's first sample). */
    public MediaTime atSample(long sample) {
        Row row = find(sample);
        if (row == null) {
            throw new IllegalStateException("no audio received yet");
        }
        long inside = sample - row.firstSample;
        long startMs = row.offsetMs + ms(sample);
        long epoch = row.epochMs + inside * 1000 / sampleRate;
        long pts = wrap(row.pts + ticks(inside));
        return new MediaTime(startMs, epoch, pts);
    }

    /** Where the sample at {@code offsetMs} of this source's audio lies on the stream's timeline. */
    public long timelineMs(long offsetMs) {
        Row row = find(offsetMs * sampleRate / 1000);
        return (row == null ? this.offsetMs : row.offsetMs) + offsetMs;
    }

    /**
     * Where this source leaves the timeline so far: the end of its audio, when that arrived, and the pts that would
     * come next. What the stream's next source continues from.
     */
    public TimelinePoint end() {
        Row last = rows.peekLast();
        if (last == null) {
            return previous; // no audio from this source: the stream stands where it stood (null: nowhere yet)
        }
        return new TimelinePoint(last.offsetMs + ms(totalSamples), last.epochMs,
                wrap(last.pts + ticks(last.samples)), timescale, ptsBits);
    }

    /** Drops rows that end before {@code offsetMs}: nothing will ask about that audio again. */
    public void forgetBefore(long offsetMs) {
        long sample = offsetMs * sampleRate / 1000;
        // keep the last row always, so a lookup past the end still has a clock to extrapolate from
        while (rows.size() > 1) {
            Row first = rows.peekFirst();
            if (first.firstSample + first.samples > sample) {
                break;
            }
            rows.removeFirst();
        }
    }

    /** How much audio this source delivered (not its span on the timeline, which gaps lengthen). */
    public long durationMs() {
        return ms(totalSamples);
    }

    public int rowCount() {
        return rows.size();
    }

    public long discontinuityCount() {
        return discontinuityCount;
    }

    public long wrapCount() {
        return wrapCount;
    }

    /**
     * The most recent gaps the timeline moved on by (at most 100), the one before this source's first chunk included.
     * Safe from any thread.
     */
    public List<TimelineGap> recentGaps() {
        return List.copyOf(gaps);
    }

    private static <T> void remember(List<T> list, T item) {
        list.add(item);
        if (list.size() > 100) {
            list.remove(0);
        }
    }

    public int sampleRate() {
        return sampleRate;
    }

    public long timescale() {
        return timescale;
    }

    public int ptsBits() {
        return ptsBits;
    }

    private Row find(long sample) {
        // captions ask about recent audio, so search from the newest row
        Iterator<Row> it = rows.descendingIterator();
        Row row = null;
        while (it.hasNext()) {
            row = it.next();
            if (row.firstSample <= sample) {
                return row;
            }
        }
        return row; // before the oldest kept row: extrapolate from it
    }

    private long ms(long sample) {
        return sample * 1000 / sampleRate;
    }

    private long ticks(long samples) {
        // a year of 48 kHz audio in 90 kHz ticks is ~1.4e17: multiplyExact only guards against nonsense input
        return Math.floorDiv(Math.multiplyExact(samples, timescale), sampleRate);
    }

    private long wrap(long pts) {
        return ptsModulus == 0 ? pts : Math.floorMod(pts, ptsModulus);
    }

    /** Signed distance from a to b, taking the shorter way round the wrap. */
    private long shortestDelta(long a, long b) {
        long delta = b - a;
        if (ptsModulus != 0) {
            delta = Math.floorMod(delta, ptsModulus);
            if (delta >= ptsModulus / 2) {
                delta -= ptsModulus;
            }
        }
        return delta;
    }
}
