package io.livecap.asr.pocketsphinx;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * At most this many pocketsphinx streams compute at once, the rest wait their turn in arrival order
 * ({@code engine.pocketsphinx_threads}). With more streams than cores, the kernel otherwise slices every decoding
 * thread a few milliseconds at a time, and each slice starts on caches the other decoders (90 MB each) have just
 * emptied: 8 accurate streams on 2 cores cost 0.20 CPU seconds per audio second each without turns and 0.14 with
 * them (bench/README.md, "Turns"). A turn is at most {@link #TURN_SAMPLES} of one stream's audio, native work only:
 * the stream tells its listener what it heard after the turn, so a slow listener never holds one.
 */
final class DecodingSlots {

    /** 200 ms of 16 kHz audio: about 30 ms of CPU at the accurate profile. */
    static final int TURN_SAMPLES = 3200;

    private final Semaphore turns;
    private final AtomicInteger decoding = new AtomicInteger();
    private final AtomicInteger mostAtOnce = new AtomicInteger();

    DecodingSlots(int slots) {
        if (slots < 1) {
            throw new IllegalArgumentException("pocketsphinx_threads must be >= 1, got " + slots);
        }
        this.turns = new Semaphore(slots, true);
    }

    /** Waits for a turn, does {@code work} in it and gives the turn up, even when the work throws. */
    void inTurn(Runnable work) {
        enter();
        try {
            work.run();
        } finally {
            exit();
        }
    }

    /** Waits for a turn. */
    void enter() {
        turns.acquireUninterruptibly();
        mostAtOnce.accumulateAndGet(decoding.incrementAndGet(), Math::max);
    }

    void exit() {
        decoding.decrementAndGet();
        turns.release();
    }

    /** Streams waiting for a turn now. */
    int waiting() {
        return turns.getQueueLength();
    }

    /** The most streams that have been inside a turn at the same moment. */
    int mostAtOnce() {
        return mostAtOnce.get();
    }
}
