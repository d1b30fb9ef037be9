package io.livecap.audio;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * The audio path from the source's channels to the recogniser's mono: {@link AudioHealth} judges, a
 * {@link ChannelMixer} mixes, and audio that the strategy in force would destroy waits here for the decision.
 *
 * <p>Healthy audio passes straight through, with no added latency. A 50 ms piece whose speech the current strategy
 * cancels (an inverted channel under the sum, a repair that went stale) or that a pending decision would mix
 * differently is held, with everything after it, until {@link AudioHealth} decides (then all of it is mixed the new
 * way) or the suspicion clears (then as it was). So the words spoken while a repair is decided reach the recogniser
 * repaired, once and in order. Holding is bounded by {@link #MAX_HOLD_MS}, the longest a decision takes from its
 * first piece of evidence; past that the oldest audio goes on as it is.
 *
 * <p>Exactly one mono sample leaves for each frame that arrives, in arrival order, so the recogniser's sample
 * offsets still map onto the timing map; only when they leave changes. One instance per stream; not thread-safe.
 */
public final class ChannelRepair {

    /** Up to one window to gather the first evidence, then the 2 s a condition needs to be declared. */
    public static final int MAX_HOLD_MS = (AudioHealth.CONFIRM_WINDOWS + 1) * AudioHealth.WINDOW_MS;

    private final AudioHealth health;
    private final ChannelMixer mixer;
    private final int channels;
    private final int sampleRate;
    private final int maxHoldFrames;
    private final ArrayDeque<short[]> held = new ArrayDeque<>(); // interleaved pieces, oldest first
    private int heldFrames;
    private ChannelStrategy heldUnder;
    private short[] out = new short[0];
    private int outFrames;

    public ChannelRepair(AudioHealth health) {
        this.health = Objects.requireNonNull(health);
        this.channels = health.channels();
        this.sampleRate = health.sampleRate();
        this.mixer = new ChannelMixer(channels, sampleRate);
        this.maxHoldFrames = (int) ((long) sampleRate * MAX_HOLD_MS / 1000);
    }

    /**
     * Judges {@code frames} frames of interleaved PCM starting at {@code streamOffsetMs} and returns the mono audio
     * ready for the recogniser: this chunk's, or less while some is held, or more when held audio is released.
     */
    public short[] accept(short[] interleaved, int frames, long streamOffsetMs) {
        outFrames = 0;
        health.accept(interleaved, frames, streamOffsetMs, (first, count) -> step(interleaved, first, count));
        return Arrays.copyOf(out, outFrames);
    }

    /** At the end of the stream: whatever is held, mixed by the strategy in force. */
    public short[] flush() {
        outFrames = 0;
        release(heldFrames, health.effectiveStrategy());
        return Arrays.copyOf(out, outFrames);
    }

    /** Audio judged but not yet passed on, in ms. */
    public long heldMs() {
        return heldFrames * 1000L / sampleRate;
    }

    private void step(short[] chunk, int first, int count) {
        ChannelStrategy strategy = health.effectiveStrategy();
        boolean hold = health.holdAdvised();
        if (held.isEmpty() && !hold) {
            mix(chunk, first, count, strategy);
            return;
        }
        if (held.isEmpty()) {
            heldUnder = strategy;
        }
        held.addLast(Arrays.copyOfRange(chunk, first * channels, (first + count) * channels));
        heldFrames += count;
        if (!hold || strategy != heldUnder) {
            release(heldFrames, strategy); // decided (or cleared): all of it the way the decision says
        } else if (heldFrames > maxHoldFrames) {
            release(heldFrames - maxHoldFrames, strategy);
        }
    }

    /** Passes on whole held pieces, oldest first, until at least {@code frames} frames have gone. */
    private void release(int frames, ChannelStrategy strategy) {
        int released = 0;
        while (released < frames && !held.isEmpty()) {
            short[] piece = held.removeFirst();
            int count = piece.length / channels;
            mix(piece, 0, count, strategy);
            released += count;
            heldFrames -= count;
        }
    }

    private void mix(short[] interleaved, int first, int count, ChannelStrategy strategy) {
        if (outFrames + count > out.length) {
            out = Arrays.copyOf(out, Math.max(2 * out.length, outFrames + count));
        }
        mixer.mix(interleaved, first, count, strategy, out, outFrames);
        outFrames += count;
    }
}
