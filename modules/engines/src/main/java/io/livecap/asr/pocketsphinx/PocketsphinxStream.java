package io.livecap.asr.pocketsphinx;

import com.sun.jna.Memory;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Streaming recognition on one pocketsphinx decoder. Utterances follow the front end's voice activity detector:
 * the decoder's utterance stays started, silence frames are dropped before the search, and when the VAD goes
 * from speech to silence ({@value #VAD_POSTSPEECH_FRAMES} silent frames) the utterance ends, its final is
 * reported, and the next one starts at once.
 *
 * <p>Words: fillers ({@code <s>}, {@code </s>}, {@code <sil>}, {@code [NOISE]}...) are dropped and {@code word(2)}
 * is reported as {@code word}. A final word's confidence is its posterior probability in the utterance's word
 * lattice: the share of all lattice paths' probability (acoustic and language model together) that goes
 * through this word at this time span. pocketsphinx computes it only once the utterance has ended, so partial
 * words carry confidence 0.
 *
 * <p>Decoding takes turns with the engine's other streams ({@link DecodingSlots}); the listener hears a turn's
 * results after it, on the thread that fed the audio.
 */
final class PocketsphinxStream implements RecognitionStream {

    static final int VAD_PRESPEECH_FRAMES = 20;
    static final int VAD_STARTSPEECH_FRAMES = 10;
    static final int VAD_POSTSPEECH_FRAMES = 50;

    private static final Logger log = LoggerFactory.getLogger(PocketsphinxStream.class);

    private static final int SAMPLES_PER_MS = 16;
    private static final int SAMPLES_PER_FRAME = 160; // pocketsphinx's default -frate 100
    private static final int MS_PER_FRAME = 10;
    /**
     * Audio goes in 50 ms blocks, shorter than the VAD's 100 ms start-speech run, so it cannot go from speech to
     * silence and back within one block unseen: that would glue two utterances with the pause cut out.
     */
    private static final int BLOCK_SAMPLES = 50 * SAMPLES_PER_MS;
    /**
     * Steady partials commit a word once successive hypotheses agree on it, so this interval is what stability
     * costs in latency: 100 ms, not 200 (bench/README.md, "Steady partials"). Not 50 either: measured, that cost
     * 10 % more engine CPU and made medium stability's partials later (bench/README.md, "Turns").
     */
    private static final long PARTIAL_EVERY_SAMPLES = 100 * SAMPLES_PER_MS;
    /** Continuous speech (or noise the VAD takes for speech) is cut here: a final at least this often. */
    private static final long MAX_UTTERANCE_SAMPLES = 20_000 * SAMPLES_PER_MS;

    private final Consumer<Decoder> release;
    private final DecodingSlots slots;
    private final RecognitionListener listener;
    /** Partials and finals of the turn under way, for the listener once it is over. */
    private final List<Result> results = new ArrayList<>();
    private final Memory block = new Memory(BLOCK_SAMPLES * 2L);
    private Decoder decoder;
    private long samplesFed;
    /** Where the decoder's current utterance was started: none of its words can begin earlier. */
    private long utteranceStartSample;
    private boolean utteranceOpen;
    private boolean inSpeech;
    private long speechOnsetSample;
    private long lastPartialSample;
    private boolean finished;

    PocketsphinxStream(Decoder decoder, Consumer<Decoder> release, DecodingSlots slots, RecognitionListener listener) {
        this.release = release;
        this.slots = slots;
        this.listener = listener;
        decoder.startStream();
        this.decoder = decoder;
        this.utteranceOpen = true;
    }

    @Override
    public void acceptAudio(short[] samples, int length) {
        ensureOpen();
        Objects.checkFromIndexSize(0, length, samples.length);
        for (int turn = 0; turn < length && decoder != null && !finished; turn += DecodingSlots.TURN_SAMPLES) {
            int from = turn;
            int end = Math.min(length, turn + DecodingSlots.TURN_SAMPLES);
            slots.inTurn(() -> {
                for (int offset = from; offset < end; offset += BLOCK_SAMPLES) {
                    int count = Math.min(BLOCK_SAMPLES, end - offset);
                    block.write(0, samples, offset, count);
                    decoder.process(block, count);
                    samplesFed += count;
                    followVoiceActivity();
                }
            });
            deliver();
        }
    }

    @Override
    public void finish() {
        if (decoder == null) {
            throw new IllegalStateException("pocketsphinx stream is closed");
        }
        if (finished) {
            return;
        }
        finished = true;
        if (utteranceOpen) {
            slots.inTurn(() -> endUtterance(false));
            deliver();
        }
    }

    @Override
    public void close() {
        Decoder closing = decoder;
        if (closing == null) {
            return;
        }
        decoder = null;
        try {
            if (utteranceOpen) {
                slots.inTurn(closing::endUtterance);
            }
        } catch (RuntimeException e) {
            log.warn("closing a pocketsphinx stream: {}", e.getMessage());
        } finally {
            utteranceOpen = false;
            block.close();
            try {
                release.accept(closing);
            } catch (RuntimeException e) {
                log.warn("releasing a pocketsphinx decoder: {}", e.getMessage());
            }
        }
    }

    private void followVoiceActivity() {
        boolean speech = decoder.inSpeech();
        if (speech && !inSpeech) {
            inSpeech = true;
            // the VAD needs VAD_STARTSPEECH_FRAMES of speech before it says so
            speechOnsetSample = Math.max(utteranceStartSample,
                    samplesFed - (long) VAD_STARTSPEECH_FRAMES * SAMPLES_PER_FRAME);
            reportPartial();
        } else if (!speech && inSpeech) {
            endUtterance(true);
        } else if (speech && samplesFed - speechOnsetSample >= MAX_UTTERANCE_SAMPLES) {
            endUtterance(true);
        } else if (speech && samplesFed - lastPartialSample >= PARTIAL_EVERY_SAMPLES) {
            reportPartial();
        }
    }

    private void reportPartial() {
        lastPartialSample = samplesFed;
        results.add(new Result(hypothesis(decoder.segments(), false), false));
    }

    /**
     * Hands the turn's results to the listener once the turn is over: what the listener does with them (store,
     * send) never keeps another stream from decoding.
     */
    private void deliver() {
        List<Result> turn = List.copyOf(results);
        results.clear();
        for (Result result : turn) {
            if (result.fin()) {
                listener.onFinal(result.hypothesis());
            } else {
                listener.onPartial(result.hypothesis());
            }
        }
    }

    private record Result(Hypothesis hypothesis, boolean fin) {
    }

    private void endUtterance(boolean startNext) {
        // Frames reach the search only while the VAD hears speech; without any, asking for the lattice's best
        // path just logs "Couldn't find <s> in first frame".
        boolean searched = inSpeech;
        inSpeech = false;
        utteranceOpen = false;
        decoder.endUtterance();
        Hypothesis fin = hypothesis(searched ? decoder.segments() : List.of(), true);
        if (startNext) {
            decoder.startUtterance();
            utteranceOpen = true;
            utteranceStartSample = samplesFed;
        }
        if (!fin.isEmpty()) {
            results.add(new Result(fin, true));
        }
    }

    private Hypothesis hypothesis(List<Segment> segments, boolean fin) {
        long heardMs = samplesFed / SAMPLES_PER_MS;
        // pocketsphinx dates an utterance VAD_PRESPEECH_FRAMES before the VAD fired, as if its pre-speech buffer
        // were always full; when speech resumes soon after the previous utterance ended it is not, and the words
        // come out early. Nothing can start before the utterance did, so shift the whole utterance back there.
        long firstFrame = utteranceStartSample / SAMPLES_PER_FRAME;
        long shift = segments.isEmpty() ? 0 : Math.max(0, firstFrame - segments.get(0).startFrame());
        List<RecognizedWord> words = new ArrayList<>();
        for (Segment segment : segments) {
            if (segment.isFiller()) {
                continue;
            }
            long startMs = (segment.startFrame() + shift) * MS_PER_FRAME;
            long endMs = Math.min((segment.endFrame() + shift + 1) * MS_PER_FRAME, heardMs);
            double confidence = fin ? Math.min(1, Math.max(0, segment.posterior())) : 0;
            words.add(new RecognizedWord(segment.baseWord(), startMs, endMs, confidence));
        }
        if (fin) {
            return words.isEmpty() ? new Hypothesis(words, heardMs, heardMs)
                    : new Hypothesis(words, words.get(0).startMs(), words.get(words.size() - 1).endMs());
        }
        long startMs = words.isEmpty() ? speechOnsetSample / SAMPLES_PER_MS : words.get(0).startMs();
        return new Hypothesis(words, startMs, heardMs);
    }

    private void ensureOpen() {
        if (decoder == null) {
            throw new IllegalStateException("pocketsphinx stream is closed");
        }
        if (finished) {
            throw new IllegalStateException("pocketsphinx stream is finished; it takes no more audio");
        }
    }
}
