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
    private long nextSeq;
    private long utterance = 1;
    private String lastPartialText = "";
    private long lastPartialEndMs = Long.MIN_VALUE;

    /** @param nextSeq the seq of the first caption: 1 for a new stream, one past the stored last for a resumed one */
    public CaptionBuilder(String streamId, String language, TimingMap timing, LineBreaker breaker, long nextSeq,
                          CaptionSink sink) {
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

    private void emit(boolean isFinal, String text, List<String> lines, long startMs, long endMs,
                      List<CaptionWord> words) {
        MediaTime at = timing.at(startMs);
        sink.accept(new Caption(streamId, nextSeq++, isFinal, utterance, text, lines, at.startMs(), endMs,
                at.startEpoch(), at.startPts(), words, language));
    }

    private static List<CaptionWord> toCaptionWords(List<RecognizedWord> words) {
        return words.stream()
                .map(w -> new CaptionWord(w.word(), w.startMs(), w.endMs(), Math.round(w.confidence() * 1000) / 1000.0))
                .toList();
    }
}
