package io.livecap.lifecycle;

import io.livecap.captions.Accuracy;
import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.captions.CueRules;
import io.livecap.reach.OutputFormat;
import io.livecap.captions.SubtitleValidator;
import io.livecap.captions.TranscriptWriter;
import io.livecap.delivery.CaptionStore;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * The transcript a Live task delivers: every stored final caption of its stream, exactly once, in the catalog
 * item's output format, its cues laid out for reading ({@link CueRules}), validated before it leaves.
 *
 * <p>Times are rebased on the wall clock: the file's zero is the start of the ordered slot ({@code
 * taskJobData.startDate}, buffers included: {@link io.livecap.reach.OrderedSlot}; our inference: REACH does not say
 * where an asset's zero lies). A final goes where its audio arrived ({@code start_epoch}), unless that is before the
 * end of the final placed before it plus the pause between them in stream time: arrival epochs bunch whenever audio
 * is read late (a loaded decoder draining its backlog, a node resuming another's task), and finals placed only by
 * them would overlap and their words interleave. A final is never placed before its audio arrived.
 */
public final class TranscriptDelivery {

    /** What goes into the caption asset. */
    public record Transcript(String content, Integer accuracy, int captionCount, String languageName) {
    }

    private final CaptionStore store;
    private final CueRules rules;

    /** Assets under the default reading rules ({@link CueRules#DEFAULTS}). */
    public TranscriptDelivery(CaptionStore store) {
        this(store, CueRules.DEFAULTS);
    }

    /** Assets whose cues respect {@code rules} (the {@code captions.cue_*} settings), checked before they leave. */
    public TranscriptDelivery(CaptionStore store, CueRules rules) {
        this.store = store;
        this.rules = rules;
    }

    public Transcript build(LiveTask task) {
        List<Caption> finals = store.finalsAfter(task.streamId(), 0);
        if (finals.isEmpty()) {
            throw new IllegalStateException("no captions were produced for stream " + task.streamId()
                    + " (did the mediaUrl deliver speech?)");
        }
        List<Caption> rebased = rebase(finals, task.captionsFrom());
        OutputFormat format = OutputFormat.of(task.outputFormat().code());
        String content = new TranscriptWriter(format, rules).write(rebased);
        List<String> problems = SubtitleValidator.problems(format, content, rules);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("the " + format + " transcript is invalid: " + problems);
        }
        // no words, no figure: the task goes READY without an accuracy rather than claiming 0
        OptionalInt percent = Accuracy.percent(rebased);
        Integer accuracy = percent.isPresent() ? percent.getAsInt() : null;
        return new Transcript(content, accuracy, rebased.size(), Languages.toName(task.language()));
    }

    /** Captions on the wall-clock timeline that starts at {@code zero}, in seq order, none overlapping the one before. */
    static List<Caption> rebase(List<Caption> finals, Instant zero) {
        List<Caption> rebased = new ArrayList<>();
        Caption previous = null; // as given, with the stream times its pause is measured in
        long previousEndMs = 0;  // where it was placed
        for (Caption c : finals) {
            long arrivedMs = c.startEpoch() - zero.toEpochMilli();
            if (arrivedMs < 0) {
                continue; // before the slot opened: not part of the order
            }
            long startMs = arrivedMs;
            if (previous != null) {
                long pauseMs = Math.max(0, c.startMs() - Math.max(previous.endMs(), previous.startMs()));
                startMs = Math.max(startMs, previousEndMs + pauseMs);
            }
            long shift = startMs - c.startMs();
            List<CaptionWord> words = c.words().stream()
                    .map(w -> new CaptionWord(w.word(), w.startMs() + shift, w.endMs() + shift, w.confidence()))
                    .toList();
            Caption placed = new Caption(c.streamId(), c.seq(), true, c.utterance(), c.text(), c.lines(),
                    startMs, Math.max(c.endMs(), c.startMs()) + shift, c.startEpoch(), c.startPts(), words,
                    c.language(), c.session());
            rebased.add(placed);
            previous = c;
            previousEndMs = placed.endMs();
        }
        return rebased;
    }
}
