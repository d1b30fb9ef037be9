package io.livecap.audio;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Feeds interleaved PCM through {@link AudioHealth} and a {@link ChannelRepair} the way a session does, in uneven
 * chunks, and keeps what came out: the events, the mono signal, and how long each frame waited (in chunks).
 */
final class HealthRun {

    final List<HealthEvent> events = new ArrayList<>();
    final AudioHealth health;
    final ChannelRepair repair;
    private final int rate;
    private final int channels;
    private short[] mono = new short[0];
    private int monoFrames;
    private long framesFed;
    private long maxHeldMs;

    HealthRun(int rate, int channels) {
        this(rate, channels, ChannelStrategy.AUTO);
    }

    HealthRun(int rate, int channels, ChannelStrategy strategy) {
        this.rate = rate;
        this.channels = channels;
        this.health = new AudioHealth("test", rate, channels, strategy, events::add);
        this.repair = new ChannelRepair(health);
    }

    /** Feeds frames up to {@code toFrame} (exclusive) of {@code pcm}, continuing where the last call stopped. */
    HealthRun feedUntil(short[] pcm, long toFrame) {
        int[] sizes = {1234, 320, 4096, 77, 1600}; // uneven on purpose: windows must not depend on chunking
        int k = 0;
        while (framesFed < toFrame) {
            int frames = (int) Math.min(sizes[k++ % sizes.length], toFrame - framesFed);
            int from = (int) (framesFed * channels);
            short[] chunk = Arrays.copyOfRange(pcm, from, from + frames * channels);
            append(repair.accept(chunk, frames, framesFed * 1000 / rate));
            maxHeldMs = Math.max(maxHeldMs, repair.heldMs());
            framesFed += frames;
        }
        return this;
    }

    HealthRun feedAll(short[] pcm) {
        feedUntil(pcm, pcm.length / channels);
        append(repair.flush());
        return this;
    }

    private void append(short[] out) {
        if (monoFrames + out.length > mono.length) {
            mono = Arrays.copyOf(mono, Math.max(2 * mono.length, monoFrames + out.length));
        }
        System.arraycopy(out, 0, mono, monoFrames, out.length);
        monoFrames += out.length;
    }

    /** The most audio the repair held back at any chunk's end: the latency it added. */
    long maxHeldMs() {
        return maxHeldMs;
    }

    long framesFed() {
        return framesFed;
    }

    short[] output() {
        return Arrays.copyOf(mono, monoFrames);
    }

    List<HealthEvent> events(HealthEvent.Kind kind) {
        return events.stream().filter(e -> e.kind() == kind).toList();
    }

    /** For assertion messages: what happened, one event a line. */
    String log() {
        return events.stream().map(e -> e.startMs() + " ms [" + e.kind() + "] " + e.message())
                .collect(Collectors.joining("\n  ", "\n  ", ""));
    }
}
