package io.livecap.captions;

import java.util.ArrayDeque;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Marks the caption where each speaker change happens ({@code >> } and {@code "speaker_change": true}). Changes come
 * from a detector some seconds after they happen (before the final that holds them, which waits for a pause). A
 * final that starts at or just before a change (within {@link #EARLY_MS}: the detector places a change to within
 * about a second) says {@code >> } first; one the change falls inside (turns with no pause between them) says it
 * before the word nearest the change, as roll-up captions do. Partials starting after a known change show it too.
 * Runs on the session's thread.
 */
public final class SpeakerChangeMarks implements UnaryOperator<Caption> {

    /** A change found up to this long after a caption's start still marks its start. */
    static final long EARLY_MS = 1_000;

    private final ArrayDeque<Long> pending = new ArrayDeque<>();

    /** A change at this time (timeline ms). */
    public void changeAt(long timelineMs) {
        pending.addLast(timelineMs);
    }

    @Override
    public Caption apply(Caption caption) {
        if (pending.isEmpty()) {
            return caption;
        }
        long change = pending.peekFirst();
        if (!caption.isFinal()) {
            return change <= caption.startMs() + EARLY_MS ? caption.withSpeakerChange() : caption;
        }
        if (change >= caption.endMs()) {
            return caption;
        }
        while (!pending.isEmpty() && pending.peekFirst() < caption.endMs()) {
            pending.removeFirst(); // one mark a block: more changes inside it are one turn too short to caption
        }
        if (change <= caption.startMs() + EARLY_MS) {
            return caption.withSpeakerChange();
        }
        List<CaptionWord> words = caption.words();
        int nearest = 0;
        for (int i = 1; i < words.size(); i++) {
            if (Math.abs(words.get(i).startMs() - change) < Math.abs(words.get(nearest).startMs() - change)) {
                nearest = i;
            }
        }
        return caption.withSpeakerChangeAt(nearest);
    }
}
