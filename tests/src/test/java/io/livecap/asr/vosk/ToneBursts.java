package io.livecap.asr.vosk;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test audio for {@link TestVoskModel}: tone bursts ("beep" = 440 Hz, "boop" = 1000 Hz) separated by silence, 16 kHz
 * mono, with the times each burst really starts and ends.
 */
final class ToneBursts {

    static final int SAMPLE_RATE = 16_000;
    private static final double AMPLITUDE = 0.3 * Short.MAX_VALUE;
    /** Faint noise in the "silence" so the features are not the digital floor; pre-emphasis is off, so it stays faint. */
    private static final int NOISE = 8;
    /** Raised-cosine edges: an abrupt tone start is a broadband click. */
    private static final int RAMP_SAMPLES = SAMPLE_RATE * 5 / 1000;

    /** One burst as placed in the signal. */
    record Burst(String word, long startMs, long endMs) {
    }

    private final List<Burst> bursts = new ArrayList<>();
    private final List<short[]> pieces = new ArrayList<>();
    private final Random noise = new Random(42);
    private long samples;

    ToneBursts silence(long ms) {
        short[] piece = new short[samplesOf(ms)];
        for (int i = 0; i < piece.length; i++) {
            piece[i] = (short) (noise.nextInt(2 * NOISE + 1) - NOISE);
        }
        return add(piece);
    }

    ToneBursts beep(long ms) {
        return tone("beep", TestVoskModel.BEEP_HZ, ms);
    }

    ToneBursts boop(long ms) {
        return tone("boop", TestVoskModel.BOOP_HZ, ms);
    }

    private ToneBursts tone(String word, double hz, long ms) {
        long startMs = samples * 1000 / SAMPLE_RATE;
        short[] piece = new short[samplesOf(ms)];
        for (int i = 0; i < piece.length; i++) {
            int edge = Math.min(i, piece.length - 1 - i);
            double gain = edge >= RAMP_SAMPLES ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * edge / RAMP_SAMPLES);
            double tone = AMPLITUDE * gain * Math.sin(2 * Math.PI * hz * i / SAMPLE_RATE);
            piece[i] = (short) Math.round(tone + noise.nextInt(2 * NOISE + 1) - NOISE);
        }
        add(piece);
        bursts.add(new Burst(word, startMs, samples * 1000 / SAMPLE_RATE));
        return this;
    }

    private ToneBursts add(short[] piece) {
        pieces.add(piece);
        samples += piece.length;
        return this;
    }

    private static int samplesOf(long ms) {
        return Math.toIntExact(ms * SAMPLE_RATE / 1000);
    }

    List<Burst> bursts() {
        return List.copyOf(bursts);
    }

    List<String> words() {
        return bursts.stream().map(Burst::word).toList();
    }

    short[] samples() {
        short[] all = new short[Math.toIntExact(samples)];
        int at = 0;
        for (short[] piece : pieces) {
            System.arraycopy(piece, 0, all, at, piece.length);
            at += piece.length;
        }
        return all;
    }
}
