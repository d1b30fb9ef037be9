package io.livecap.asr.sphinx4;

import java.util.ArrayList;
import java.util.List;

/** Where a clean recording has speech, from sample energy alone: the reference the engine's word times are held to. */
record SpeechSegments(List<Segment> segments) {

    record Segment(long startMs, long endMs) {
    }

    private static final int FRAME = 160; // 10 ms at 16 kHz
    private static final double SPEECH_RMS = 300; // the flite samples' pauses stay below 60
    private static final int PAUSE_FRAMES = 30; // 300 ms of quiet ends a segment

    static SpeechSegments of(short[] samples) {
        List<Segment> segments = new ArrayList<>();
        long start = -1;
        long lastSpeech = -1;
        for (int frame = 0; (frame + 1) * FRAME <= samples.length; frame++) {
            double sum = 0;
            for (int i = frame * FRAME; i < (frame + 1) * FRAME; i++) {
                sum += (double) samples[i] * samples[i];
            }
            if (Math.sqrt(sum / FRAME) > SPEECH_RMS) {
                if (start < 0) {
                    start = frame;
                }
                lastSpeech = frame;
            } else if (start >= 0 && frame - lastSpeech >= PAUSE_FRAMES) {
                segments.add(new Segment(start * 10, (lastSpeech + 1) * 10));
                start = -1;
            }
        }
        if (start >= 0) {
            segments.add(new Segment(start * 10, (lastSpeech + 1) * 10));
        }
        return new SpeechSegments(List.copyOf(segments));
    }

    /** The middle of the pause after the {@code count}-th segment: a cut there keeps whole sentences. */
    int sampleAfter(int count) {
        long cutMs = (segments.get(count - 1).endMs() + segments.get(count).startMs()) / 2;
        return (int) (cutMs * 16);
    }
}
