package io.livecap.testkit;

import io.livecap.ingest.MediaGap;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.fail;

/** Keeps everything a decoder says, and lets a test wait (bounded) for a condition on it. */
public final class DecodedAudioRecorder implements DecodedAudioListener {

    public final List<Chunk> chunks = new ArrayList<>();
    /** When each chunk was heard (epoch ms). */
    public final List<Long> heardAtMs = new ArrayList<>();
    public final List<MediaGap> gaps = new ArrayList<>();
    public final List<String> lost = new ArrayList<>();
    public final CompletableFuture<Void> ended = new CompletableFuture<>();
    public final CompletableFuture<String> failed = new CompletableFuture<>();

    @Override
    public synchronized void onAudio(Chunk pcm) {
        chunks.add(pcm);
        heardAtMs.add(System.currentTimeMillis());
        notifyAll();
    }

    @Override
    public synchronized void onGap(MediaGap gap) {
        gaps.add(gap);
        notifyAll();
    }

    @Override
    public synchronized void onSourceLost(String reason) {
        lost.add(reason);
        notifyAll();
    }

    @Override
    public void onEnd() {
        ended.complete(null);
    }

    @Override
    public void onFailure(String message) {
        failed.complete(message);
    }

    public synchronized long samples() {
        return chunks.stream().mapToLong(c -> c.payload().length / (2L * CHANNELS)).sum();
    }

    public synchronized List<Chunk> chunks() {
        return List.copyOf(chunks);
    }

    public synchronized List<MediaGap> gaps() {
        return List.copyOf(gaps);
    }

    public void awaitEnd(Duration timeout) throws Exception {
        CompletableFuture.anyOf(ended, failed).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (failed.isDone()) {
            fail("decoder failed: " + failed.get());
        }
    }

    public String awaitFailure(Duration timeout) throws Exception {
        return failed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Waits until {@code condition} holds, re-checking whenever the decoder says something. */
    public synchronized void await(String what, Duration timeout, Predicate<DecodedAudioRecorder> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(this)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what + " (" + chunks.size()
                        + " chunks, " + gaps.size() + " gaps so far)");
            }
            wait(left);
        }
    }
}
