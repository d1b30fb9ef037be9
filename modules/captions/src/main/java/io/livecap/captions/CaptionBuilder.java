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
 * <p>A final replaces exactly the partials of its {@code utterance} number. Finals that do not wait for the
 * engine's end of utterance come from the engine itself: the session cuts its utterance at a short real pause
 * ({@code UtteranceCutter}), so every final here is the engine's own.
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
    private final PartialStabilizer stabilizer;
    private final CaseAndPunctuation restorer;
    private long nextSeq;
    private long utterance;
    private long lastFinalEndMs;
    private String lastPartialText = "";
    private long lastPartialEndMs = Long.MIN_VALUE;

    /** @param nextSeq the seq of the first caption: 1 for a new stream, one past the stored last for a resumed one */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, 1, 1, 0, Stability.OFF, sink);
    }

    /**
     * For a source that continues its stream's timeline.
     *
     * @param session        the stream id's timeline, carried in every caption
     * @param nextUtterance  the utterance number of this source's first final
     * @param lastFinalEndMs where the stream's last final ended (timeline ms): nothing starts before it
     * @param stability      how steady partials are
     */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          long session, long nextUtterance, long lastFinalEndMs, Stability stability,
                          CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, session, nextUtterance, lastFinalEndMs,
                new PartialStabilizer(stability), CaseAndPunctuation.NONE, sink);
    }

    /** @param restorer gives the words sentence case and punctuation (one per stream: it learns the speaker's pauses) */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          long session, long nextUtterance, long lastFinalEndMs, Stability stability,
                          CaseAndPunctuation restorer, CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, session, nextUtterance, lastFinalEndMs,
                new PartialStabilizer(stability), restorer, sink);
    }

    CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                   long session, long nextUtterance, long lastFinalEndMs, PartialStabilizer stabilizer,
                   CaseAndPunctuation restorer, CaptionSink sink) {
        this.stabilizer = stabilizer;
        this.restorer = restorer;
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
        List<PartialStabilizer.Shown> steady = stabilizer.partial(partial);
        if (steady.isEmpty()) {
            return; // nothing settled enough to show yet
        }
        List<CaptionWord> shownWords = steady.stream().map(s -> toCaptionWord(s.word(), s.stable())).toList();
        List<String> words = restorer.restore(shownWords, false);
        String text = String.join(" ", words);
        // a word that has just become stable is news for a viewer that marks stable words
        String state = text + steady.stream().filter(PartialStabilizer.Shown::stable).count();
        if (state.equals(lastPartialText) && partial.endMs() - lastPartialEndMs < PARTIAL_REFRESH_MS) {
            return;
        }
        lastPartialText = state;
        lastPartialEndMs = partial.endMs();
        List<String> lines = breaker.lines(words);
        // a roll-up display shows the newest block
        List<String> shown = lines.subList(Math.max(0, lines.size() - breaker.maxLines()), lines.size());
        long startMs = Math.min(partial.startMs(), steady.get(0).word().startMs());
        emit(false, text, shown, startMs, Math.max(partial.endMs(), startMs), withTexts(shownWords, words));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        if (fin.isEmpty()) {
            return;
        }
        stabilizer.fin(fin);
        List<CaptionWord> all = toCaptionWords(fin.words());
        List<String> texts = restorer.restore(all, true);
        emitFinals(withTexts(all, texts), texts, breaker.blocks(texts));
        timing.forgetBefore(fin.words().get(fin.words().size() - 1).endMs() - TIMING_MARGIN_MS);
        utterance++;
        lastPartialText = "";
        lastPartialEndMs = Long.MIN_VALUE;
    }

    /** One final per block, each with its own times. */
    private void emitFinals(List<CaptionWord> all, List<String> texts, List<List<Integer>> blocks) {
        int first = 0;
        for (List<Integer> block : blocks) {
            int count = block.stream().mapToInt(Integer::intValue).sum();
            List<CaptionWord> blockWords = all.subList(first, first + count);
            List<String> lines = new ArrayList<>();
            int word = first;
            for (int inLine : block) {
                lines.add(String.join(" ", texts.subList(word, word + inLine)));
                word += inLine;
            }
            long startMs = blockWords.get(0).startMs();
            long endMs = Math.max(startMs, blockWords.get(blockWords.size() - 1).endMs());
            emit(true, String.join(" ", texts.subList(first, first + count)), lines, startMs, endMs, blockWords);
            first += count;
        }
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
            return new CaptionWord(w.word(), start, end, w.confidence(), w.stable());
        }).toList();
    }

    private static List<CaptionWord> toCaptionWords(List<RecognizedWord> words) {
        return words.stream().map(w -> toCaptionWord(w, true)).toList();
    }

    private static List<CaptionWord> withTexts(List<CaptionWord> words, List<String> texts) {
        List<CaptionWord> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            out.add(words.get(i).withText(texts.get(i)));
        }
        return out;
    }

    private static CaptionWord toCaptionWord(RecognizedWord w, boolean stable) {
        return new CaptionWord(w.word(), w.startMs(), w.endMs(), Math.round(w.confidence() * 1000) / 1000.0, stable);
    }

    /** Committed words of partials so far, and how many of them a final then changed. */
    public long stableWords() {
        return stabilizer.committedWords();
    }

    public long stableWordsCorrected() {
        return stabilizer.corrected();
    }
}
