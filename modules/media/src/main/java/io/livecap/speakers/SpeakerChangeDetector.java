package io.livecap.speakers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * Finds where the speaker changes, without a model: MFCC frames ({@link Mfcc}, c1..c12; c0 left out so loudness
 * alone is no change) of speech only (quiet frames would make both sides look alike), over a sliding window of up to
 * {@link #WINDOW_FRAMES} speech frames. Every {@link #STEP_FRAMES} frames each split point with at least
 * {@link #SIDE_FRAMES} frames either side is tried: delta-BIC between one full-covariance Gaussian for the window
 * and one for each side,
 * {@code dBIC = N/2 log|S| - N1/2 log|S1| - N2/2 log|S2| - lambda/2 (d + d(d+1)/2) log N}. A positive maximum is a
 * change; it is reported once {@link #CONFIRM_FRAMES} more than a side lie after the best split (before that the
 * new voice fills only part of the right side and the best split lies early), and the window restarts at it.
 * Reports times in ms of the audio fed (16 kHz), about 2.6 s of speech after the change.
 *
 * <p>lambda was tuned on flite voices taking turns and on a single flite voice (see bench/README.md, "Speaker
 * changes"). One detector per stream, on the session's thread.
 */
public final class SpeakerChangeDetector {

    /** The BIC penalty factor (see bench/README.md for how it was chosen). */
    public static final double DEFAULT_LAMBDA = 3.0;
    static final int DIMENSIONS = 12;
    static final int WINDOW_FRAMES = 700; // 7 s of speech
    static final int SIDE_FRAMES = 200; // 2 s each side at least: phonetic content averages out
    static final int STEP_FRAMES = 10;
    static final int CONFIRM_FRAMES = 60;
    private static final int SPLIT_STRIDE = 3;
    /** A frame is speech when its log energy is within this of the loudest recent frame (natural log, ~30 dB). */
    private static final double SPEECH_RANGE = 7.0;
    private static final double SILENCE_FLOOR = Math.log(1e-5 * Mfcc.FRAME); // about -50 dBFS

    private final double lambda;
    private final int side;
    private final LongConsumer changes;
    private final Mfcc mfcc;
    private final List<double[]> window = new ArrayList<>();
    private final List<Long> times = new ArrayList<>();
    private double loudest = Double.NEGATIVE_INFINITY;
    private int sinceTest;
    private long framesSeen;
    private List<double[]> scores; // only while tuning: a stream's would grow without end

    /** @param changes gets the time (ms of the audio fed) of each change found */
    public SpeakerChangeDetector(double lambda, LongConsumer changes) {
        this(lambda, SIDE_FRAMES, changes);
    }

    /** @param side the fewest speech frames either side of a change (tuning) */
    SpeakerChangeDetector(double lambda, int side, LongConsumer changes) {
        this.side = side;
        this.lambda = lambda;
        this.changes = changes;
        this.mfcc = new Mfcc(this::frame);
    }

    public SpeakerChangeDetector(LongConsumer changes) {
        this(DEFAULT_LAMBDA, changes);
    }

    /** 16 kHz mono samples, as the recogniser gets them. */
    public void accept(short[] pcm, int length) {
        mfcc.accept(pcm, length);
    }

    /** Frames seen so far (10 ms each). */
    public long frames() {
        return framesSeen;
    }

    /**
     * For tuning lambda: each test's {@code [time of its best split (ms), dBIC before the penalty / penalty]}; a change
     * is found where this exceeds lambda.
     */
    List<double[]> scores() {
        return scores == null ? List.of() : scores;
    }

    /** Keep every test's score from now on (tuning only). */
    void recordScores() {
        scores = new ArrayList<>();
    }

    private void frame(Mfcc.Frame frame) {
        framesSeen++;
        double energy = frame.values()[Mfcc.COEFFICIENTS];
        loudest = Math.max(energy, loudest - 0.002); // forgets a loud moment over ~35 s
        if (energy < SILENCE_FLOOR || energy < loudest - SPEECH_RANGE) {
            return;
        }
        double[] x = new double[DIMENSIONS];
        System.arraycopy(frame.values(), 1, x, 0, DIMENSIONS);
        window.add(x);
        times.add(frame.startMs());
        if (window.size() > WINDOW_FRAMES) {
            window.remove(0);
            times.remove(0);
        }
        if (++sinceTest < STEP_FRAMES || window.size() < 2 * side) {
            return;
        }
        sinceTest = 0;
        Split best = bestSplit();
        if (best.score <= 0) {
            return;
        }
        // with the new voice on only part of the right side the best split is not yet where the change is: wait
        // until CONFIRM_FRAMES more than a side lie after it (the window slides, so the wait ends)
        if (best.index > window.size() - side - CONFIRM_FRAMES) {
            return;
        }
        long at = times.get(best.index);
        window.subList(0, best.index).clear();
        times.subList(0, best.index).clear();
        changes.accept(at);
    }

    private record Split(int index, double score) {
    }

    private Split bestSplit() {
        int n = window.size();
        int d = DIMENSIONS;
        int pairs = d * (d + 1) / 2;
        // prefix sums of x and of x x' (upper triangle), so each split's covariances cost O(d^2)
        double[][] sum = new double[n + 1][d];
        double[][] outer = new double[n + 1][pairs];
        for (int t = 0; t < n; t++) {
            double[] x = window.get(t);
            System.arraycopy(sum[t], 0, sum[t + 1], 0, d);
            System.arraycopy(outer[t], 0, outer[t + 1], 0, pairs);
            int p = 0;
            for (int i = 0; i < d; i++) {
                sum[t + 1][i] += x[i];
                for (int j = i; j < d; j++) {
                    outer[t + 1][p++] += x[i] * x[j];
                }
            }
        }
        double whole = logDet(sum, outer, 0, n);
        double penalty = 0.5 * (d + pairs) * Math.log(n);
        int bestIndex = -1;
        double bestRaw = Double.NEGATIVE_INFINITY;
        for (int i = side; i <= n - side; i += SPLIT_STRIDE) {
            double raw = 0.5 * (n * whole - i * logDet(sum, outer, 0, i) - (n - i) * logDet(sum, outer, i, n));
            if (raw > bestRaw) {
                bestRaw = raw;
                bestIndex = i;
            }
        }
        if (scores != null) {
            scores.add(new double[] {times.get(bestIndex), bestRaw / penalty});
        }
        return new Split(bestIndex, bestRaw - lambda * penalty);
    }

    /** log det of the covariance of frames [from, to), by Cholesky (a little added to the diagonal keeps it sane). */
    private static double logDet(double[][] sum, double[][] outer, int from, int to) {
        int d = DIMENSIONS;
        int n = to - from;
        double[][] c = new double[d][d];
        int p = 0;
        for (int i = 0; i < d; i++) {
            double mi = (sum[to][i] - sum[from][i]) / n;
            for (int j = i; j < d; j++) {
                double mj = (sum[to][j] - sum[from][j]) / n;
                double v = (outer[to][p] - outer[from][p]) / n - mi * mj;
                p++;
                c[i][j] = v;
                c[j][i] = v;
            }
            c[i][i] += 1e-6;
        }
        double log = 0;
        for (int j = 0; j < d; j++) {
            double diag = c[j][j];
            for (int k = 0; k < j; k++) {
                diag -= c[j][k] * c[j][k];
            }
            if (diag <= 0) {
                return Math.log(1e-12) * d; // degenerate (e.g. digital silence that passed the gate)
            }
            double l = Math.sqrt(diag);
            c[j][j] = l;
            log += 2 * Math.log(l);
            for (int i = j + 1; i < d; i++) {
                double v = c[i][j];
                for (int k = 0; k < j; k++) {
                    v -= c[i][k] * c[j][k];
                }
                c[i][j] = v / l;
            }
        }
        return log;
    }
}
