package io.livecap.audio;

import io.livecap.testkit.SharedAudio;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/** Stereo variants of real speech and of synthetic programme, made the way broken and healthy feeds look. */
final class Stereo {

    static final int RATE = 16_000;

    private Stereo() {
    }

    static Path lectureFile() {
        return SharedAudio.file(SharedAudio.LECTURE);
    }

    /** The shared lecture (16 kHz mono, 61 s of speech with pauses). */
    static short[] lecture() {
        try {
            WavAudio wav = WavAudio.read(lectureFile());
            if (wav.channels() != 1 || wav.sampleRate() != RATE) {
                throw new IllegalStateException("lecture sample is not 16 kHz mono");
            }
            return wav.samples();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static short[] interleave(short[] left, short[] right) {
        short[] out = new short[2 * left.length];
        for (int i = 0; i < left.length; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        return out;
    }

    static short[] channel(short[] interleaved, int channels, int index) {
        short[] out = new short[interleaved.length / channels];
        for (int i = 0; i < out.length; i++) {
            out[i] = interleaved[i * channels + index];
        }
        return out;
    }

    static short[] scaled(short[] x, double gain) {
        short[] out = new short[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = clip(x[i] * gain);
        }
        return out;
    }

    /** {@code x} later by {@code samples}, same length. */
    static short[] delayed(short[] x, int samples) {
        short[] out = new short[x.length];
        System.arraycopy(x, 0, out, samples, x.length - samples);
        return out;
    }

    static short[] plus(short[] a, short[] b) {
        short[] out = new short[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = clip(a[i] + b[i]);
        }
        return out;
    }

    static short[] constant(int length, int value) {
        short[] out = new short[length];
        Arrays.fill(out, (short) value);
        return out;
    }

    /** White noise at {@code dbfs} RMS; a different {@code seed} gives an independent channel. */
    static short[] noise(int length, double dbfs, long seed) {
        Random random = new Random(seed);
        double rms = 32768 * Math.pow(10, dbfs / 20);
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            out[i] = clip(random.nextGaussian() * rms);
        }
        return out;
    }

    /** A sustained chord (sum of sines) at {@code dbfs} RMS with a slow swell, standing in for music. */
    static short[] chord(int length, double dbfs, double... hz) {
        double amplitude = 32768 * Math.pow(10, dbfs / 20) * Math.sqrt(2.0 / hz.length);
        short[] out = new short[length];
        for (int i = 0; i < length; i++) {
            double t = (double) i / RATE;
            double swell = 0.75 + 0.25 * Math.sin(2 * Math.PI * 0.2 * t);
            double sum = 0;
            for (double f : hz) {
                sum += Math.sin(2 * Math.PI * f * t);
            }
            out[i] = clip(amplitude * swell * sum);
        }
        return out;
    }

    /** Pearson correlation of two mono signals over [from, to). */
    static double correlation(short[] a, short[] b, int from, int to) {
        double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
        int n = to - from;
        for (int i = from; i < to; i++) {
            sa += a[i];
            sb += b[i];
            saa += (double) a[i] * a[i];
            sbb += (double) b[i] * b[i];
            sab += (double) a[i] * b[i];
        }
        double cov = sab / n - sa / n * sb / n;
        return cov / Math.sqrt((saa / n - sa / n * sa / n) * (sbb / n - sb / n * sb / n));
    }

    /** RMS level in dBFS over [from, to); -120 for digital silence. */
    static double dbfs(short[] x, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        double rms = Math.sqrt(sum / (to - from));
        return rms == 0 ? -120 : 20 * Math.log10(rms / 32768);
    }

    /** Where speech starts: the first 10 ms above -50 dBFS, in ms. */
    static long onsetMs(short[] mono) {
        int block = RATE / 100;
        for (int i = 0; i + block <= mono.length; i += block) {
            if (dbfs(mono, i, i + block) > -50) {
                return i * 1000L / RATE;
            }
        }
        throw new IllegalStateException("no speech");
    }

    static short clip(double v) {
        return (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v)));
    }
}
