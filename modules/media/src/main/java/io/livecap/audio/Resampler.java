package io.livecap.audio;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Streaming sample-rate converter for mono 16-bit audio: windowed-sinc polyphase filter at the exact rational ratio.
 *
 * <p>Output sample {@code n} is the input signal at time {@code n / outRate} exactly (the filter is symmetric around
 * it), so stream times survive resampling; the price is that the newest {@code HALF_TAPS / cutoff} input samples are
 * held back until more audio or {@link #flush()} arrives. Not thread-safe.
 */
public final class Resampler {

    private static final int HALF_TAPS = 16; // zero crossings each side: -70 dB stop band is plenty for ASR
    private static final Map<Long, float[][]> FILTERS = new ConcurrentHashMap<>();

    private final int inRate;
    private final int outRate;
    private final int up;   // outRate / gcd
    private final int down; // inRate / gcd
    private final float[][] phases; // [phase][tap]
    private final int halfWidth;    // input samples each side of the centre
    private float[] history = new float[0];
    private long historyStart;      // input index of history[0]
    private long consumed;          // input samples received
    private long produced;          // output samples emitted

    public Resampler(int inRate, int outRate) {
        if (inRate <= 0 || outRate <= 0) {
            throw new IllegalArgumentException("bad rates " + inRate + " -> " + outRate);
        }
        this.inRate = inRate;
        this.outRate = outRate;
        int g = gcd(inRate, outRate);
        this.up = outRate / g;
        this.down = inRate / g;
        double cutoff = Math.min(1.0, (double) outRate / inRate);
        this.halfWidth = (int) Math.ceil(HALF_TAPS / cutoff);
        this.phases = inRate == outRate ? null
                : FILTERS.computeIfAbsent(((long) inRate << 32) | outRate, k -> design(up, halfWidth, cutoff));
    }

    /** Converts {@code length} input samples; returns the output samples that are complete so far. */
    public short[] process(short[] in, int length) {
        if (phases == null) {
            return Arrays.copyOf(in, length);
        }
        append(in, length);
        return emit(consumed - halfWidth);
    }

    /** End of input: returns the held-back tail, as if silence followed. */
    public short[] flush() {
        if (phases == null) {
            return new short[0];
        }
        long target = consumed;
        append(new short[halfWidth + 1], halfWidth + 1);
        consumed -= halfWidth + 1; // the padding is not real input
        return emit(target);
    }

    private void append(short[] in, int length) {
        // keep only what the next outputs can still reach
        long nextCentre = produced * down / up;
        long keepFrom = Math.max(historyStart, nextCentre - halfWidth);
        int drop = (int) (keepFrom - historyStart);
        int kept = history.length - drop;
        float[] grown = new float[kept + length];
        System.arraycopy(history, drop, grown, 0, kept);
        for (int i = 0; i < length; i++) {
            grown[kept + i] = in[i];
        }
        history = grown;
        historyStart = keepFrom;
        consumed += length;
    }

    /** Emits every output whose filter window ends before input index {@code limit} + halfWidth. */
    private short[] emit(long limit) {
        long available = historyStart + history.length;
        int count = 0;
        short[] out = new short[(int) Math.max(0, (limit - produced * down / up) * up / down + 2)];
        while (true) {
            long position = produced * down;      // input position times up
            long centre = position / up;
            int phase = (int) (position % up);
            if (centre >= limit || centre + halfWidth + 1 > available) {
                break;
            }
            float[] taps = phases[phase];
            double sum = 0;
            long first = centre - halfWidth + 1;
            for (int t = 0; t < taps.length; t++) {
                long index = first + t;
                if (index >= historyStart && index < available) {
                    sum += taps[t] * history[(int) (index - historyStart)];
                }
            }
            if (count == out.length) {
                out = Arrays.copyOf(out, out.length * 2 + 1);
            }
            out[count++] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(sum)));
            produced++;
        }
        return Arrays.copyOf(out, count);
    }

    /** Filter taps for each of the {@code up} phases: tap t of phase p weighs input (centre - halfWidth + 1 + t). */
    private static float[][] design(int up, int halfWidth, double cutoff) {
        float[][] table = new float[up][2 * halfWidth];
        for (int p = 0; p < up; p++) {
            double frac = (double) p / up; // output lies frac input samples after the centre sample
            for (int t = 0; t < 2 * halfWidth; t++) {
                double x = (t - halfWidth + 1) - frac; // distance of this input from the output instant
                double sinc = x == 0 ? 1 : Math.sin(Math.PI * x * cutoff) / (Math.PI * x * cutoff);
                double w = x / halfWidth;
                // Blackman window over [-halfWidth, halfWidth]
                double window = Math.abs(w) >= 1 ? 0
                        : 0.42 + 0.5 * Math.cos(Math.PI * w) + 0.08 * Math.cos(2 * Math.PI * w);
                table[p][t] = (float) (cutoff * sinc * window);
            }
        }
        return table;
    }

    private static int gcd(int a, int b) {
        return b == 0 ? a : gcd(b, a % b);
    }
}
