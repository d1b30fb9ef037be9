package io.livecap.speakers;

import java.util.function.Consumer;

/**
 * Mel-frequency cepstral coefficients of 16 kHz mono audio, computed as it arrives: pre-emphasis (0.97), 25 ms
 * Hamming windows every 10 ms, a 512-point FFT, 26 triangular mel filters (0-8 kHz), log energies and a DCT-II to
 * {@link #COEFFICIENTS} coefficients. Each frame goes to the consumer as {@code [c0..c12, logEnergy]} with its start
 * in ms of the audio fed so far. Written here rather than taken from a library: it is the speaker-change detector's
 * only input and small enough to own.
 */
public final class Mfcc {

    public static final int SAMPLE_RATE = 16_000;
    public static final int COEFFICIENTS = 13;
    static final int FRAME = 400; // 25 ms
    static final int HOP = 160; // 10 ms
    private static final int FFT = 512;
    private static final int FILTERS = 26;
    private static final double PRE_EMPHASIS = 0.97;

    /** One frame: its start (ms since the first sample) and {@code [c0..c12, log energy]}. */
    public record Frame(long startMs, double[] values) {
    }

    private final Consumer<Frame> out;
    private final double[] ring = new double[FRAME];
    private final double[] window = new double[FRAME];
    private final double[][] filters = new double[FILTERS][];
    private final int[] filterStart = new int[FILTERS];
    private final double[][] dct = new double[COEFFICIENTS][FILTERS];
    private final double[] re = new double[FFT];
    private final double[] im = new double[FFT];
    private int filled; // samples of the current window so far
    private double lastSample;
    private long frames;

    public Mfcc(Consumer<Frame> out) {
        this.out = out;
        for (int i = 0; i < FRAME; i++) {
            window[i] = 0.54 - 0.46 * Math.cos(2 * Math.PI * i / (FRAME - 1));
        }
        double melMax = mel(SAMPLE_RATE / 2.0);
        int[] bins = new int[FILTERS + 2];
        for (int i = 0; i < bins.length; i++) {
            double hz = 700 * (Math.pow(10, melMax * i / (FILTERS + 1) / 2595) - 1);
            bins[i] = (int) Math.floor((FFT + 1) * hz / SAMPLE_RATE);
        }
        for (int f = 0; f < FILTERS; f++) {
            int lo = bins[f];
            int mid = Math.max(bins[f + 1], lo + 1);
            int hi = Math.max(bins[f + 2], mid + 1);
            double[] w = new double[hi - lo + 1];
            for (int k = lo; k <= hi; k++) {
                w[k - lo] = k <= mid ? (k - lo) / (double) (mid - lo) : (hi - k) / (double) (hi - mid);
            }
            filters[f] = w;
            filterStart[f] = lo;
        }
        for (int c = 0; c < COEFFICIENTS; c++) {
            for (int f = 0; f < FILTERS; f++) {
                dct[c][f] = Math.cos(Math.PI * c * (f + 0.5) / FILTERS);
            }
        }
    }

    private static double mel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    /** Feeds 16 kHz mono samples; every complete 10 ms hop gives a frame. */
    public void accept(short[] pcm, int length) {
        for (int i = 0; i < length; i++) {
            double s = pcm[i] / 32768.0;
            double emphasised = s - PRE_EMPHASIS * lastSample;
            lastSample = s;
            ring[filled++] = emphasised;
            if (filled == FRAME) {
                frame();
                System.arraycopy(ring, HOP, ring, 0, FRAME - HOP); // the next window overlaps this one by 15 ms
                filled = FRAME - HOP;
            }
        }
    }

    private void frame() {
        double energy = 0;
        for (int i = 0; i < FFT; i++) {
            re[i] = i < FRAME ? ring[i] * window[i] : 0;
            im[i] = 0;
            energy += re[i] * re[i];
        }
        fft(re, im);
        double[] logMel = new double[FILTERS];
        for (int f = 0; f < FILTERS; f++) {
            double sum = 0;
            double[] w = filters[f];
            for (int k = 0; k < w.length; k++) {
                int bin = filterStart[f] + k;
                if (bin <= FFT / 2) {
                    sum += w[k] * (re[bin] * re[bin] + im[bin] * im[bin]);
                }
            }
            logMel[f] = Math.log(sum + 1e-10);
        }
        double[] values = new double[COEFFICIENTS + 1];
        for (int c = 0; c < COEFFICIENTS; c++) {
            double sum = 0;
            for (int f = 0; f < FILTERS; f++) {
                sum += dct[c][f] * logMel[f];
            }
            values[c] = sum;
        }
        values[COEFFICIENTS] = Math.log(energy + 1e-10);
        out.accept(new Frame(frames++ * HOP * 1000L / SAMPLE_RATE, values));
    }

    /** In-place iterative radix-2 FFT. */
    static void fft(double[] re, double[] im) {
        int n = re.length;
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            double wr = Math.cos(angle);
            double wi = Math.sin(angle);
            for (int i = 0; i < n; i += len) {
                double cr = 1;
                double ci = 0;
                for (int k = 0; k < len / 2; k++) {
                    int a = i + k;
                    int b = a + len / 2;
                    double xr = re[b] * cr - im[b] * ci;
                    double xi = re[b] * ci + im[b] * cr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                    double next = cr * wr - ci * wi;
                    ci = cr * wi + ci * wr;
                    cr = next;
                }
            }
        }
    }
}
