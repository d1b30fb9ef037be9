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
 * <p>Finals do not wait for the engine's end of utterance (pocketsphinx needs 0.5 s of silence, which a speaker with
 * short pauses never leaves, so without this its finals came only when its 20 s utterance limit cut in): once the
 * words of the engine's hypothesis that no final has carried yet and that it has heard {@link #FINAL_SETTLE_MS}
 * past fill a caption block, or the oldest of them ended {@code maxFinalDelayMs} of audio ago, they are sent as a
 * final at once (an early final). The engine's utterance
 * goes on with the rest: later partials and its own final carry only the words after those, so no word is sent as
 * final twice and none is lost; the engine's final may correct only words not sent yet ({@link #finalDisagreed()}
 * counts the sent words it did not keep). Each early final closes its own {@code utterance} number, and the rest of
 * the engine's utterance goes on under the next one, so a final still replaces exactly the partials of its number.
 *
 * <p>Runs on the session's thread, like the recogniser that calls it.
 */
public final class CaptionBuilder implements RecognitionListener {

    /** Re-send an unchanged partial after this much audio, so viewers see the caption is alive. */
    private static final long PARTIAL_REFRESH_MS = 300;
    /** Keep this much audio before the last final in the timing map, in case an engine revises a boundary. */
    private static final long TIMING_MARGIN_MS = 5_000;
    /** An early final takes only words the engine has heard this far past (as medium stability's age rule). */
    private static final long FINAL_SETTLE_MS = 1_000;

    private final String streamId;
    private final String language;
    private final TimingMap timing;
    private final LineBreaker breaker;
    private final CaptionSink sink;
    private final long session;
    private final PartialStabilizer stabilizer;
    private final CaseAndPunctuation restorer;
    private final long maxFinalDelayMs;
    /** The engine utterance's words already sent in early finals (as the engine gave them), in order. */
    private final List<CaptionWord> sentEarly = new ArrayList<>();
    private long finalDisagreed;
    private long earlyFinals;
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
                new PartialStabilizer(stability), restorer, 0, sink);
    }

    /**
     * @param maxFinalDelayMs committed words wait at most this much audio for a final, and a block of them none
     *                        (0: no early finals, finals come at the engine's end of utterance only)
     */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          long session, long nextUtterance, long lastFinalEndMs, Stability stability,
                          CaseAndPunctuation restorer, long maxFinalDelayMs, CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, session, nextUtterance, lastFinalEndMs,
                new PartialStabilizer(stability), restorer, maxFinalDelayMs, sink);
    }

    CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                   long session, long nextUtterance, long lastFinalEndMs, PartialStabilizer stabilizer,
                   CaseAndPunctuation restorer, CaptionSink sink) {
        this(streamId, language, timing, breaker, nextSeq, session, nextUtterance, lastFinalEndMs, stabilizer,
                restorer, 0, sink);
    }

    CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                   long session, long nextUtterance, long lastFinalEndMs, PartialStabilizer stabilizer,
                   CaseAndPunctuation restorer, long maxFinalDelayMs, CaptionSink sink) {
        if (maxFinalDelayMs < 0) {
            throw new IllegalArgumentException("maxFinalDelayMs must be >= 0, got " + maxFinalDelayMs);
        }
        this.maxFinalDelayMs = maxFinalDelayMs;
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
        List<PartialStabilizer.Shown> steadied = stabilizer.partial(partial);
        if (maxFinalDelayMs > 0) {
            finalizeEarly(partial.words().stream().filter(w -> !sentAlready(w)).toList(), partial.endMs());
        }
        List<PartialStabilizer.Shown> steady = notSentEarly(steadied);
        if (steady.isEmpty()) {
            return; // nothing settled enough to show yet
        }
        List<CaptionWord> shownWords = steady.stream().map(s -> toCaptionWord(s.word(), s.stable())).toList();
        List<String> words = restoredAfterSent(shownWords, false);
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
        long firstWordMs = steady.get(0).word().startMs();
        long startMs = sentEarly.isEmpty() ? Math.min(partial.startMs(), firstWordMs) : firstWordMs;
        emit(false, text, shown, startMs, Math.max(partial.endMs(), startMs), withTexts(shownWords, words));
    }

    @Override
    public void onFinal(Hypothesis fin) {
        if (fin.isEmpty()) {
            return;
        }
        stabilizer.fin(fin);
        for (CaptionWord sent : sentEarly) {
            if (!kept(sent, fin.words())) {
                finalDisagreed++; // the engine changed its mind about a word already sent: it stays as sent
            }
        }
        List<RecognizedWord> words = fin.words().stream().filter(w -> !sentAlready(w)).toList();
        if (!words.isEmpty()) {
            List<CaptionWord> all = toCaptionWords(words);
            List<String> texts = restoredAfterSent(all, true);
            emitFinals(withTexts(all, texts), texts, breaker.blocks(texts));
            timing.forgetBefore(words.get(words.size() - 1).endMs() - TIMING_MARGIN_MS);
            utterance++;
        }
        sentEarly.clear();
        lastPartialText = "";
        lastPartialEndMs = Long.MIN_VALUE;
    }

    /**
     * Sends as a final the words of the engine's current hypothesis (those not sent yet, {@code words}) that it has
     * heard {@link #FINAL_SETTLE_MS} past, once they fill a block (the full blocks), or all of them once the oldest
     * ended {@code maxFinalDelayMs} before {@code heardMs}. The hypothesis, not the partials' committed words: it is
     * the engine's best guess now, and what its own final would most likely say (committed words are frozen for
     * the viewer's sake, and the engine's final corrects some of them).
     */
    private void finalizeEarly(List<RecognizedWord> words, long heardMs) {
        long settle = Math.min(FINAL_SETTLE_MS, maxFinalDelayMs);
        int settled = 0;
        while (settled < words.size() && heardMs - words.get(settled).endMs() >= settle) {
            settled++;
        }
        if (settled == 0) {
            return;
        }
        List<CaptionWord> all = toCaptionWords(words);
        // restored with the words after them, so the last one gets the stop or comma its pause calls for
        List<String> texts = restoredAfterSent(all, false).subList(0, settled);
        List<List<Integer>> blocks = breaker.blocks(texts);
        // a block followed by another is full; the last one goes only once its oldest word has waited long enough
        boolean overdue = heardMs - words.get(0).endMs() >= maxFinalDelayMs;
        List<List<Integer>> due = overdue ? blocks : blocks.subList(0, blocks.size() - 1);
        if (due.isEmpty()) {
            return;
        }
        int count = due.stream().flatMap(List::stream).mapToInt(Integer::intValue).sum();
        emitFinals(withTexts(all.subList(0, count), texts.subList(0, count)), texts.subList(0, count), due);
        sentEarly.addAll(all.subList(0, count));
        earlyFinals++;
        utterance++;
        timing.forgetBefore(words.get(count - 1).endMs() - TIMING_MARGIN_MS);
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

    /**
     * The texts of {@code words}, which follow the words this utterance already sent early: restored with those in
     * front, so a sentence that goes on across an early final is not given a new capital.
     */
    private List<String> restoredAfterSent(List<CaptionWord> words, boolean fin) {
        if (sentEarly.isEmpty()) {
            return restorer.restore(words, fin);
        }
        List<CaptionWord> context = new ArrayList<>(sentEarly);
        context.addAll(words);
        List<String> texts = restorer.restore(context, fin);
        return texts.subList(sentEarly.size(), texts.size());
    }

    private List<PartialStabilizer.Shown> notSentEarly(List<PartialStabilizer.Shown> steady) {
        if (sentEarly.isEmpty()) {
            return steady;
        }
        return steady.stream().filter(s -> !sentAlready(s.word())).toList();
    }

    /** Whether a word lies in what early finals covered (matched by time, as the stabilizer matches words). */
    private boolean sentAlready(RecognizedWord word) {
        return !sentEarly.isEmpty()
                && (word.startMs() + word.endMs()) / 2 <= sentEarly.get(sentEarly.size() - 1).endMs();
    }

    private static boolean kept(CaptionWord sent, List<RecognizedWord> fin) {
        long middle = (sent.startMs() + sent.endMs()) / 2;
        for (RecognizedWord w : fin) {
            if (w.word().equals(sent.word()) && w.startMs() <= middle + 100 && w.endMs() >= middle - 100) {
                return true;
            }
        }
        return false;
    }

    /** Finals sent before their engine utterance ended. */
    public long earlyFinals() {
        return earlyFinals;
    }

    /** Words sent in early finals that the engine's final for their utterance then changed or dropped. */
    public long finalDisagreed() {
        return finalDisagreed;
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
