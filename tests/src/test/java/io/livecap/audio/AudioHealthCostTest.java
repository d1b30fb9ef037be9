package io.livecap.audio;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs on every stream, on the session thread: it must cost next to nothing beside the recogniser. */
class AudioHealthCostTest {

    private static final int RATE = 48_000;
    private static final int CHUNK = RATE / 50; // 20 ms, a typical ingest chunk

    @Test
    void judgingAndMixingStereoAt48kCostsUnderAMillisecondPerSecondOfAudio() {
        short[] speech = Stereo.lecture();
        int seconds = 60;
        short[] left = new short[seconds * RATE];
        for (int i = 0; i < left.length; i++) {
            left[i] = speech[i % speech.length];
        }
        short[] stereo = Stereo.interleave(left, Stereo.plus(Stereo.scaled(left, 0.7), Stereo.noise(left.length, -60, 1)));
        short[][] chunks = new short[stereo.length / (2 * CHUNK)][];
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = Arrays.copyOfRange(stereo, c * 2 * CHUNK, (c + 1) * 2 * CHUNK);
        }
        short[] mono = new short[CHUNK];

        long best = Long.MAX_VALUE;
        long checksum = 0;
        for (int round = 0; round < 8; round++) { // the first rounds warm the JIT up; keep the best
            AudioHealth health = new AudioHealth("cost", RATE, 2, ChannelStrategy.AUTO, e -> { });
            ChannelMixer mixer = new ChannelMixer(2, RATE);
            long started = System.nanoTime();
            for (int c = 0; c < chunks.length; c++) {
                health.accept(chunks[c], CHUNK, c * 20L);
                mixer.mix(chunks[c], CHUNK, health.effectiveStrategy(), mono);
                checksum += mono[CHUNK - 1];
            }
            best = Math.min(best, System.nanoTime() - started);
            assertEquals(HealthState.OK, health.snapshot().state());
        }
        long nsPerSecond = best / seconds;
        System.out.printf("audio health + mixer, 48 kHz stereo in 20 ms chunks: %d ns per second of audio "
                + "(%.4f %% of a core; checksum %d)%n", nsPerSecond, nsPerSecond / 1e7, checksum);
        assertTrue(nsPerSecond < 1_000_000, nsPerSecond + " ns per second of audio");
    }
}
