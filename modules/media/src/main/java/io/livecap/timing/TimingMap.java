package io.livecap.timing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * A stream's mapping table: one row per received chunk, (sample offset of its first sample, arrival epoch, pts).
 * Any audio offset maps to {@link MediaTime} by finding its chunk and adding the offset inside it.
 *
 * <p>{@code start} is counted in samples, so it stays continuous whatever the source's pts do. A pts that is not
 * where the previous chunk's audio said it would be is recorded as a {@link Discontinuity}; a pts that falls by more
 * than half the wrap range is a wrap, not a discontinuity. Memory stays bounded: {@link #forgetBefore} drops rows no
 * caption can refer to any more. Not thread-safe: one session thread appends and looks up.
 */
public final class TimingMap {

    /** Jitter that is not a discontinuity: a source's pts are rounded to its clock, and some muxers wobble by a tick or two. */
    private static final long TOLERANCE_MS = 2;

    private record Row(long firstSample, long epochMs, long pts, int samples) {
    }

    private final int sampleRate;
    private final long timescale;
    private final int ptsBits;
    private final long ptsModulus; // 0 = never wraps
    private final Deque<Row> rows = new ArrayDeque<>();
    private final List<Discontinuity> discontinuities = new ArrayList<>();
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
        if (last != null) {
            long expected = wrap(last.pts + ticks(last.samples));
            long delta = shortestDelta(expected, wrapped);
            if (Math.abs(delta) * 1000 > TOLERANCE_MS * timescale) {
                jump = new Discontinuity(ms(totalSamples), expected, wrapped, delta);
                discontinuities.add(jump);
                discontinuityCount++;
                if (discontinuities.size() > 100) {
                    discontinuities.remove(0);
                }
            }
            if (ptsModulus != 0 && wrapped < last.pts && jump == null) {
                wrapCount++;
            }
        }
        if (samples > 0) {
            rows.addLast(new Row(totalSamples, epochMs, wrapped, samples));
            totalSamples += samples;
        }
        return jump;
    }

    /** The three clocks of the sample at {@code offsetMs} of stream audio. */
    public MediaTime at(long offsetMs) {
        return atSample(offsetMs * sampleRate / 1000);
    }

    /** The three clocks of the sample with index {@code sample} (0 = the stream's first sample). */
    public MediaTime atSample(long sample) {
        Row row = find(sample);
        if (row == null) {
            throw new IllegalStateException("no audio received yet");
        }
        long inside = sample - row.firstSample;
        long startMs = ms(sample);
        long epoch = row.epochMs + inside * 1000 / sampleRate;
        long pts = wrap(row.pts + ticks(inside));
        return new MediaTime(startMs, epoch, pts);
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

    public long totalSamples() {
        return totalSamples;
    }

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

    /** The most recent discontinuities (at most 100). */
    public List<Discontinuity> recentDiscontinuities() {
        return List.copyOf(discontinuities);
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
