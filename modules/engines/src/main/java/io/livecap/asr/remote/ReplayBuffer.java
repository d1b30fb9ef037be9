package io.livecap.asr.remote;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * A stream's audio since its last final, to re-send to the next worker when its worker dies: what the dead worker
 * heard after its last final never became words anyone saw. Bounded: past {@code capacitySamples} the oldest audio
 * goes (and is counted), so a stream that never reaches a final cannot grow it without end.
 */
final class ReplayBuffer {

    private final long capacitySamples;
    private final Deque<short[]> chunks = new ArrayDeque<>();
    private long startSample; // the stream position of the first sample held
    private long held;
    private long droppedSamples; // lost to the bound since the last final

    ReplayBuffer(long capacitySamples) {
        this.capacitySamples = capacitySamples;
    }

    void append(short[] samples, int length) {
        if (length <= 0) {
            return;
        }
        chunks.addLast(Arrays.copyOf(samples, length));
        held += length;
        while (held > capacitySamples && !chunks.isEmpty()) {
            short[] first = chunks.peekFirst();
            long excess = held - capacitySamples;
            if (first.length <= excess) {
                chunks.removeFirst();
                drop(first.length);
            } else {
                chunks.removeFirst();
                chunks.addFirst(Arrays.copyOfRange(first, (int) excess, first.length));
                drop(excess);
            }
        }
    }

    /** Forgets the audio before stream position {@code sample} (a final's end: those words are settled). */
    void settleBefore(long sample) {
        while (!chunks.isEmpty() && startSample < sample) {
            short[] first = chunks.removeFirst();
            long cut = sample - startSample;
            if (first.length <= cut) {
                held -= first.length;
                startSample += first.length;
            } else {
                chunks.addFirst(Arrays.copyOfRange(first, (int) cut, first.length));
                held -= cut;
                startSample += cut;
            }
        }
        if (chunks.isEmpty() && startSample < sample) {
            startSample = sample; // the final ended past what was sent so far (not expected, harmless)
        }
        droppedSamples = 0;
    }

    long startSample() {
        return startSample;
    }

    long heldSamples() {
        return held;
    }

    /** Samples lost to the bound since the last final: a failover now loses their words. */
    long droppedSamples() {
        return droppedSamples;
    }

    /**
     * What to re-send, oldest first, in pieces of {@code maxSamples} (the last one shorter): the audio as held, joined
     * and cut anew, whatever sizes it arrived in.
     */
    List<short[]> chunks(int maxSamples) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
        }
        List<short[]> pieces = new ArrayList<>();
        short[] piece = new short[(int) Math.min(maxSamples, held)];
        int filled = 0;
        long left = held;
        for (short[] chunk : chunks) {
            int from = 0;
            while (from < chunk.length) {
                int n = Math.min(chunk.length - from, piece.length - filled);
                System.arraycopy(chunk, from, piece, filled, n);
                from += n;
                filled += n;
                if (filled == piece.length) {
                    pieces.add(piece);
                    left -= filled;
                    piece = new short[(int) Math.min(maxSamples, left)];
                    filled = 0;
                }
            }
        }
        return pieces;
    }

    private void drop(long samples) {
        held -= samples;
        startSample += samples;
        droppedSamples += samples;
    }
}
