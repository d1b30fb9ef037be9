package io.livecap.audio;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChannelMixerTest {

    private static final short[] FRAMES = {1000, -600, 32767, -32768, -32768, 32767, 7, 7};

    @Test
    void eachStrategyMixesAsDocumentedWithoutOverflow() {
        assertArrayEquals(new short[] {200, -1, -1, 7}, mix(ChannelStrategy.SUM));
        assertArrayEquals(new short[] {200, -1, -1, 7}, mix(ChannelStrategy.SWAP));
        assertArrayEquals(new short[] {1000, 32767, -32768, 7}, mix(ChannelStrategy.LEFT));
        assertArrayEquals(new short[] {-600, -32768, 32767, 7}, mix(ChannelStrategy.RIGHT));
        assertArrayEquals(new short[] {800, 32767, -32768, 0}, mix(ChannelStrategy.INVERT_RIGHT));
    }

    private static short[] mix(ChannelStrategy strategy) {
        return new ChannelMixer(2, 16_000).mix(FRAMES, 4, strategy);
    }

    @Test
    void monoPassesThroughAndSumAveragesEveryChannel() {
        short[] mono = {5, -5, 300};
        assertArrayEquals(mono, new ChannelMixer(1, 16_000).mix(mono, 3, ChannelStrategy.INVERT_RIGHT));
        // 5.1 (L R C LFE Ls Rs): dialogue on the centre must survive the sum
        short[] surround = {0, 0, 6000, 0, 0, 0, 100, -100, 0, 0, 0, 0};
        assertArrayEquals(new short[] {1000, 0}, new ChannelMixer(6, 48_000).mix(surround, 2, ChannelStrategy.SUM));
        assertArrayEquals(new short[] {0, 100}, new ChannelMixer(6, 48_000).mix(surround, 2, ChannelStrategy.LEFT));
    }

    /** Sum of L and -L is silence; switching to invert-right must ramp up, not jump, and drop nothing. */
    @Test
    void switchingStrategyFadesWithoutAClickOrALostSample() {
        int rate = 16_000;
        short[] tone = Stereo.chord(rate, -6, 440);
        short[] stereo = Stereo.interleave(tone, Stereo.scaled(tone, -1));
        ChannelMixer mixer = new ChannelMixer(2, rate);
        short[] out = new short[rate];
        int chunk = 160;
        for (int f = 0; f < rate; f += chunk) {
            ChannelStrategy strategy = f < rate / 2 ? ChannelStrategy.SUM : ChannelStrategy.INVERT_RIGHT;
            short[] part = Arrays.copyOfRange(stereo, 2 * f, 2 * (f + chunk));
            short[] mixed = mixer.mix(part, chunk, strategy);
            assertEquals(chunk, mixed.length);
            System.arraycopy(mixed, 0, out, f, chunk);
        }

        int largestStep = 0;
        for (int i = 1; i < out.length; i++) {
            largestStep = Math.max(largestStep, Math.abs(out[i] - out[i - 1]));
        }
        int toneStep = 0;
        for (int i = 1; i < tone.length; i++) {
            toneStep = Math.max(toneStep, Math.abs(tone[i] - tone[i - 1]));
        }
        assertEquals(0, out[rate / 2 - 1], "the plain sum cancels");
        assertTrue(largestStep <= toneStep, "largest step " + largestStep + " vs the tone's own " + toneStep);
        int faded = rate / 2 + rate / 50;
        for (int i = faded; i < rate; i++) {
            assertEquals(tone[i], out[i], 1, "full level after 20 ms, sample " + i);
        }
    }

    @Test
    void autoIsNotAMix() {
        assertThrows(IllegalArgumentException.class, () -> mix(ChannelStrategy.AUTO));
    }
}
