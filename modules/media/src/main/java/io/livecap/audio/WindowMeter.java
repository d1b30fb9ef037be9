package io.livecap.audio;

/**
 * Running sums over one window of interleaved 16-bit PCM, for channels 1 and 2 only.
 *
 * <p>Integer sums are exact (a 0.5 s window at 192 kHz stays far below {@code Long.MAX_VALUE}) and cost one pass
 * with no allocation; the doubles come out once per window.
 */
final class WindowMeter {

    private static final double FULL_SCALE = 32768.0;
    private static final double FLOOR_DBFS = -120.0;

    private final int channels;
    private long frames;
    private long sumL;
    private long sumR;
    private long sumLL;
    private long sumRR;
    private long sumLR;
    private int peakL;
    private int peakR;

    WindowMeter(int channels) {
        this.channels = channels;
    }

    /** Adds {@code count} frames starting at frame {@code firstFrame} of {@code pcm}. */
    void add(short[] pcm, int firstFrame, int count) {
        long sl = sumL;
        long sll = sumLL;
        int pl = peakL;
        int i = firstFrame * channels;
        int end = i + count * channels;
        if (channels == 1) {
            for (; i < end; i++) {
                int l = pcm[i];
                sl += l;
                sll += l * l;
                pl = Math.max(pl, Math.abs(l));
            }
        } else {
            long sr = sumR;
            long srr = sumRR;
            long slr = sumLR;
            int pr = peakR;
            for (; i < end; i += channels) {
                int l = pcm[i];
                int r = pcm[i + 1];
                sl += l;
                sr += r;
                sll += l * l;
                srr += r * r;
                slr += l * r;
                pl = Math.max(pl, Math.abs(l));
                pr = Math.max(pr, Math.abs(r));
            }
            sumR = sr;
            sumRR = srr;
            sumLR = slr;
            peakR = pr;
        }
        sumL = sl;
        sumLL = sll;
        peakL = pl;
        frames += count;
    }

    long frames() {
        return frames;
    }

    /** The window's numbers; then starts a new window. */
    WindowLevels finish() {
        WindowLevels levels = peek();
        finishQuietly();
        return levels;
    }

    /** Adds what {@code piece} measured (a part of this window metered on its own), and empties it. */
    void absorb(WindowMeter piece) {
        frames += piece.frames;
        sumL += piece.sumL;
        sumR += piece.sumR;
        sumLL += piece.sumLL;
        sumRR += piece.sumRR;
        sumLR += piece.sumLR;
        peakL = Math.max(peakL, piece.peakL);
        peakR = Math.max(peakR, piece.peakR);
        piece.finishQuietly();
    }

    private void finishQuietly() {
        frames = 0;
        sumL = sumR = sumLL = sumRR = sumLR = 0;
        peakL = peakR = 0;
    }

    /** The numbers of the window so far, which goes on. */
    WindowLevels peek() {
        return levels(channels, frames, sumL, sumR, sumLL, sumRR, sumLR, peakL, peakR);
    }

    /** The numbers of the window so far together with {@code piece}, which is not absorbed yet. */
    WindowLevels peekWith(WindowMeter piece) {
        return levels(channels, frames + piece.frames, sumL + piece.sumL, sumR + piece.sumR, sumLL + piece.sumLL,
                sumRR + piece.sumRR, sumLR + piece.sumLR, Math.max(peakL, piece.peakL), Math.max(peakR, piece.peakR));
    }

    private static WindowLevels levels(int channels, long frames, long sumL, long sumR, long sumLL, long sumRR,
                                       long sumLR, int peakL, int peakR) {
        double n = Math.max(1, frames);
        double meanL = sumL / n;
        double varL = Math.max(0, sumLL / n - meanL * meanL);
        ChannelLevel left = level(varL, peakL, meanL);
        WindowLevels levels;
        if (channels == 1) {
            levels = new WindowLevels(left, null, null, null);
        } else {
            double meanR = sumR / n;
            double varR = Math.max(0, sumRR / n - meanR * meanR);
            double cov = sumLR / n - meanL * meanR;
            Double correlation = varL > 0 && varR > 0
                    ? round(Math.max(-1, Math.min(1, cov / Math.sqrt(varL * varR))), 1000) : null;
            double louder = Math.max(varL, varR);
            Double sumVsLouder = louder > 0
                    ? round(power(Math.max(0, varL + varR + 2 * cov) / 4) - power(louder), 10) : null;
            levels = new WindowLevels(left, level(varR, peakR, meanR), correlation, sumVsLouder);
        }
        return levels;
    }

    private static ChannelLevel level(double variance, int peak, double mean) {
        return new ChannelLevel(round(power(variance), 10), round(amplitude(peak), 10),
                round(100 * mean / FULL_SCALE, 100));
    }

    private static double power(double meanSquare) {
        return meanSquare <= 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 10 * Math.log10(meanSquare / (FULL_SCALE * FULL_SCALE)));
    }

    private static double amplitude(double value) {
        return value <= 0 ? FLOOR_DBFS : Math.max(FLOOR_DBFS, 20 * Math.log10(value / FULL_SCALE));
    }

    private static double round(double value, double scale) {
        return Math.round(value * scale) / scale;
    }
}
