package io.livecap.audio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResamplerTest {

    private static short[] tone(int rate, double hz, double seconds, double amplitude) {
        short[] s = new short[(int) (rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.round(amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }

    private static short[] run(Resampler r, short[] in, int chunk) {
        short[] out = new short[0];
        for (int i = 0; i < in.length; i += chunk) {
            int n = Math.min(chunk, in.length - i);
            short[] part = new short[n];
            System.arraycopy(in, i, part, 0, n);
            out = concat(out, r.process(part, n));
        }
        return concat(out, r.flush());
    }

    private static short[] concat(short[] a, short[] b) {
        short[] c = new short[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static double rms(short[] s, int from, int to) {
        double sum = 0;
        for (int i = from; i < to; i++) {
            sum += (double) s[i] * s[i];
        }
        return Math.sqrt(sum / (to - from));
    }

    @Test
    void keepsDurationAndToneAt44100() {
        short[] in = tone(44_100, 440, 2.0, 10_000);
        short[] out = run(new Resampler(44_100, 16_000), in, 4410 + 7);
        assertEquals(32_000, out.length, 1);
        // the resampled tone equals a tone made at 16 kHz: same phase, so times survive resampling
        short[] expected = tone(16_000, 440, 2.0, 10_000);
        double error = 0;
        for (int i = 1000; i < 31_000; i++) {
            error = Math.max(error, Math.abs(out[i] - expected[i]));
        }
        assertTrue(error < 100, "max deviation " + error);
    }

    @Test
    void removesWhatCannotBeRepresentedAt16k() {
        short[] in = tone(48_000, 12_000, 1.0, 10_000); // above 8 kHz: must not alias into speech band
        short[] out = run(new Resampler(48_000, 16_000), in, 960);
        assertTrue(rms(out, 1000, 15_000) < 50, "aliased energy " + rms(out, 1000, 15_000));
    }

    @Test
    void sameRatePassesThrough() {
        short[] in = tone(16_000, 300, 0.1, 5000);
        short[] out = run(new Resampler(16_000, 16_000), in, 160);
        assertEquals(in.length, out.length);
        assertEquals(in[17], out[17]);
    }

    @Test
    void upsamplesFrom8k() {
        short[] in = tone(8_000, 300, 1.0, 8000);
        short[] out = run(new Resampler(8_000, 16_000), in, 80);
        assertEquals(16_000, out.length, 1);
        assertEquals(8000 / Math.sqrt(2), rms(out, 1000, 15_000), 200);
    }
}
