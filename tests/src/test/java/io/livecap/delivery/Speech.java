package io.livecap.delivery;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;

import java.util.ArrayList;
import java.util.List;

/**
 * Caption messages as a session publishes them, on the caller's thread standing in for the session's: each
 * utterance gives partials that grow word by word, then its final; utterances start 1.5 s apart.
 */
final class Speech {

    static final long EPOCH_AT_START_MS = 1_795_948_418_003L;
    static final long UTTERANCE_MS = 1_500;

    private CaptionFeed feed;
    private long nextSeq;
    private long utterance;
    private final List<Caption> published = new ArrayList<>();

    Speech(CaptionFeed feed) {
        on(feed);
    }

    /** Goes on on {@code feed} (a restart's new feed): seq continues from its store, stream time from here. */
    Speech on(CaptionFeed next) {
        this.feed = next;
        this.nextSeq = next.open();
        return this;
    }

    /** {@code count} utterances of {@code partials} partials and a final each; returns the last final. */
    Caption utterances(int count, int partials) {
        Caption last = null;
        for (int i = 0; i < count; i++) {
            openUtterance(partials);
            last = publish(true, partials + 1);
        }
        return last;
    }

    /** An utterance still being spoken: its partials, no final yet. */
    void openUtterance(int partials) {
        utterance++;
        for (int words = 1; words <= partials; words++) {
            publish(false, words);
        }
    }

    /** The final of the utterance {@link #openUtterance} began. */
    Caption finish(int words) {
        return publish(true, words);
    }

    private Caption publish(boolean isFinal, int words) {
        long startMs = (utterance - 1) * UTTERANCE_MS;
        List<CaptionWord> said = new ArrayList<>();
        for (int w = 0; w < words; w++) {
            said.add(new CaptionWord("w" + utterance + "_" + w, startMs + w * 200, startMs + w * 200 + 180, 0.9));
        }
        String text = String.join(" ", said.stream().map(CaptionWord::word).toList());
        Caption caption = new Caption(feed.streamId(), nextSeq++, isFinal, utterance, text, List.of(text), startMs,
                startMs + words * 200L, EPOCH_AT_START_MS + startMs, 90L * startMs, said, "en-US");
        feed.accept(caption);
        published.add(caption);
        return caption;
    }

    List<Caption> published() {
        return List.copyOf(published);
    }

    List<Long> finalSeqs() {
        return published.stream().filter(Caption::isFinal).map(Caption::seq).toList();
    }

    long lastSeq() {
        return nextSeq - 1;
    }
}
