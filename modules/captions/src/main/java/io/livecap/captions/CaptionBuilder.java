package io.livecap.captions;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognizedWord;
import io.livecap.timing.MediaTime;
import io.livecap.timing.TimingMap;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a stream's recognition results into caption messages: numbers them ({@code seq}, {@code utterance}),
 * stamps them from the timing map, and breaks them into lines. A final that is longer than one caption block
 * (e.g. 2 x 42 characters) becomes several finals of the same utterance, one per block, each with its own times.
 *
 * <p>The recogniser counts time from this source's first sample; captions carry the stream id's timeline, which
 * the timing map places after the stream's earlier sources, and number their utterances on from the last of them.
 * No caption starts before the previous final ended (engines may let a word overlap its neighbour, and a block of a
 * long utterance begins where its first word does), so the finals of one stream never overlap.
 *
 * <p>Runs on the session's thread, like the recogniser that calls it.
 */
public final class CaptionBuilder implements RecognitionListener {

    /** Re-send an unchanged partial after this much audio, so viewers see the caption is alive. */
    private static final long PARTIAL_REFRESH_MS = 300;
    /** Keep this much audio before the last final in the timing map, in case an engine revises a boundary. */
    private static final long TIMING_MARGIN_MS = 5_000;

    private final String streamId;
    private final String language;
    private final TimingMap timing;
    private final LineBreaker breaker;
    private final CaptionSink sink;
    private final long session;
    private long nextSeq;
    private long utterance;
    private long lastFinalEndMs;
    private String lastPartialText = "";
    private long lastPartialEndMs = Long.MIN_VALUE;

    /** @param nextSeq the seq of the first caption: 1 for a new stream, one past the stored last for a resumed one */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, 1, 1, 0, sink);
    }

    /**
     * For a source that continues its stream's timeline.
     *
     * @param session        the stream id's timeline, carried in every caption
     * @param nextUtterance  the utterance number of this source's first final
     * @param lastFinalEndMs where the stream's last final ended (timeline ms): nothing starts before it
     */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          long session, long nextUtterance, long lastFinalEndMs, CaptionSink sink) {
        this.session = session;
        this.utterance = nextUtterance;
        this.lastFinalEndMs = lastFinalEndMs;
        this.streamId = streamId;
        this.language = language;
        this.timing = timing;
        this.breaker = breaker;
        this.nextSeq = nextSeq;
        this.sink = sink;
    }

    @Override
    public void onPartial(Hypothesis partial) {
        if (partial.isEmpty()) {
            return;
        }
        String text = partial.text();
        if (text.equals(lastPartialText) && partial.endMs() - lastPartialEndMs < PARTIAL_REFRESH_MS) {
            return;
        }
        lastPartialText = text;
        lastPartialEndMs = partial.endMs();
        List<String> words = partial.words().stream().map(RecognizedWord::word).toList();
        List<String> lines = breaker.lines(words);
        // a roll-up display shows the newest block
        List<String> shown = lines.subList(Math.max(0, lines.size() - breaker.maxLines()), lines.size());
        long startMs = Math.min(partial.startMs(), partial.words().get(0).startMs());
        emit(false, text, shown, startMs, Math.max(partial.endMs(), startMs), toCaptionWords(partial.words()));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        if (fin.isEmpty()) {
            return;
        }
        List<RecognizedWord> words = fin.words();
        List<String> texts = words.stream().map(RecognizedWord::word).toList();
        int first = 0;
        for (List<Integer> block : breaker.blocks(texts)) {
            int count = block.stream().mapToInt(Integer::intValue).sum();
            List<RecognizedWord> blockWords = words.subList(first, first + count);
            List<String> lines = new ArrayList<>();
            int word = first;
            for (int inLine : block) {
                lines.add(String.join(" ", texts.subList(word, word + inLine)));
                word += inLine;
            }
            long startMs = blockWords.get(0).startMs();
            long endMs = Math.max(startMs, blockWords.get(blockWords.size() - 1).endMs());
            emit(true, String.join(" ", texts.subList(first, first + count)), lines, startMs, endMs,
                    toCaptionWords(blockWords));
            first += count;
        }
        timing.forgetBefore(words.get(words.size() - 1).endMs() - TIMING_MARGIN_MS);
        utterance++;
        lastPartialText = "";
        lastPartialEndMs = Long.MIN_VALUE;
    }

    /** The seq the next caption will carry. */
    public long nextSeq() {
        return nextSeq;
    }

    /** The utterance number the next final will carry. */
    public long nextUtterance() {
        return utterance;
    }

    /** Where the last final ended, in timeline ms. */
    public long lastFinalEndMs() {
        return lastFinalEndMs;
    }

    /** Times in the recogniser's ms (since this source's first sample); the caption gets them in timeline ms. */
    private void emit(boolean isFinal, String text, List<String> lines, long startMs, long endMs,
                      List<CaptionWord> words) {
        MediaTime at = timing.at(startMs);
        if (at.startMs() < lastFinalEndMs) {
            at = timing.at(startMs + lastFinalEndMs - at.startMs());
        }
        long end = Math.max(at.startMs(), timing.timelineMs(endMs));
        if (isFinal) {
            lastFinalEndMs = end;
        }
        sink.accept(new Caption(streamId, nextSeq++, isFinal, utterance, text, lines, at.startMs(), end,
                at.startEpoch(), at.startPts(), onTimeline(words, at.startMs(), end), language, session));
    }

    private List<CaptionWord> onTimeline(List<CaptionWord> words, long fromMs, long toMs) {
        return words.stream().map(w -> {
            long start = Math.min(Math.max(fromMs, timing.timelineMs(w.startMs())), toMs);
            long end = Math.min(Math.max(start, timing.timelineMs(w.endMs())), toMs);
            return new CaptionWord(w.word(), start, end, w.confidence());
        }).toList();
    }

    private static List<CaptionWord> toCaptionWords(List<RecognizedWord> words) {
        return words.stream()
                .map(w -> new CaptionWord(w.word(), w.startMs(), w.endMs(), Math.round(w.confidence() * 1000) / 1000.0))
                .toList();
    }
}
