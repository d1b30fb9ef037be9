package io.livecap.audio;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Watches a live stream's channels and decides how they should reach the recogniser (docs/ARCHITECTURE.md, "Audio
 * health"; Kaltura asks vendors to test stereo against mono, log anomalies so the partner sees the cause, and have a
 * fallback). It decides; {@link ChannelRepair} applies the decision.
 *
 * <p>It cuts the PCM into 0.5 s windows of its own, whatever the chunk size, and judges channels 1 and 2 of each:
 * <ul>
 * <li>phase inverted: both channels above -50 dBFS with r &lt;= -0.5, or the mono sum 12 dB or more below the louder
 *     channel (captions are vanishing, so this needs only 1 s); auto inverts the right channel, or takes the louder
 *     channel alone when the channels are only partly opposed (r &gt; -0.8), since inverting would then cancel the
 *     part they share;</li>
 * <li>left/right dead: the channel below -60 dBFS or 40 dB under the other while the other is above -50 dBFS,
 *     with no signal on it for 20 s ({@link #DEAD_WINDOW_MS}); auto uses the live one, and the sum again from the
 *     first 50 ms piece in which the dead channel carries signal. A silent channel that carried speech in the last
 *     20 s is a microphone waiting for its turn (an interview), which counts as ok;</li>
 * <li>silence: every channel below -50 dBFS for 10 s;</li>
 * <li>DC offset: a channel's mean above 1 % of full scale for 2 s (cleared below 0.5 % for 2 s); flagged only,
 *     recognisers remove DC themselves.</li>
 * </ul>
 *
 * <p>Hysteresis: a condition other than a dead channel is declared after 2 s of windows showing it (1 s for the
 * cancelling sum) and left after 2 s of windows showing the contrary. Windows that show neither (silence, speech pauses, r between -0.5 and -0.3)
 * neither count nor reset, so pauses cannot make a state flap and a fixed source is back to ok after 2 s of audio.
 * Every change is one {@link HealthEvent}, logged, counted and handed to the listener.
 *
 * <p>Decisions apply to audio not yet mixed: a {@link ChannelRepair} holds audio the strategy in force would lose
 * while a decision is pending ({@link #holdAdvised}), so the words that led to a decision get its repair.
 *
 * <p>{@link #accept} and {@link #effectiveStrategy} belong to the session's thread (the listener is called there);
 * {@link #request} and {@link #snapshot} may be called from any thread.
 */
public final class AudioHealth {

    static final double SIGNAL_DBFS = -50;
    static final double DEAD_DBFS = -60;
    static final double DEAD_GAP_DB = 40;
    static final double INVERTED_R = -0.5;
    static final double NORMAL_R = -0.3;
    static final double COHERENT_INVERSION_R = -0.8;
    static final double CANCELLED_DB = -12;
    static final double DC_PERCENT = 1.0;
    static final double DC_CLEAR_PERCENT = 0.5;
    static final int WINDOW_MS = 500;
    /** Holding and waking are judged on 50 ms pieces, so a repair reaches a word before the recogniser does. */
    static final int PIECE_MS = 50;
    /**
     * A channel is dead only after this long without signal while the other carried speech: a microphone that
     * waits for its speaker's turn is silent for seconds, and the sum costs a dead channel only 6 dB meanwhile.
     */
    public static final long DEAD_WINDOW_MS = 20_000;
    static final int CONFIRM_WINDOWS = 4;
    static final int CANCELLED_CONFIRM_WINDOWS = 2;
    static final int SILENCE_WINDOWS = 20;
    static final int RECENT_EVENTS = 50;

    private static final Logger log = LoggerFactory.getLogger(AudioHealth.class);

    /** What one window shows; {@code shows} is the condition it is evidence for, null for no evidence. */
    private enum Verdict {
        NORMAL(HealthState.OK),
        INVERTED(HealthState.PHASE_INVERTED),
        CANCELLED(HealthState.PHASE_INVERTED),
        LEFT_DEAD(HealthState.LEFT_DEAD),
        RIGHT_DEAD(HealthState.RIGHT_DEAD),
        NEUTRAL(null),
        SILENT(null);

        final HealthState shows;

        Verdict(HealthState shows) {
            this.shows = shows;
        }
    }

    private final String streamId;
    private final int sampleRate;
    private final int channels;
    private final int windowFrames;
    private final Consumer<HealthEvent> listener;
    private final WindowMeter meter;
    private final WindowMeter pieceMeter;
    private final int pieceFrames;
    private final AtomicReference<ChannelStrategy> pendingRequest = new AtomicReference<>();
    private final ArrayDeque<HealthEvent> recent = new ArrayDeque<>();
    private final Map<String, Long> counts = new TreeMap<>();

    private ChannelStrategy requested;
    private ChannelStrategy repair = ChannelStrategy.SUM; // what auto does for the current condition
    private ChannelStrategy effective;
    private HealthState condition;                         // what the channels show, silence aside
    private HealthState state = HealthState.UNKNOWN;       // what is reported: condition, or silence
    private HealthState candidate;
    private ChannelStrategy candidateRepair;
    private int candidateWindows;
    private int cancelledWindows;
    private int silentWindows;
    private boolean dcOffset;
    private int dcWindows;
    private long anchorMs = -1;
    private long anchorFrames;
    private long lastWindowEndMs = -1;
    private final long[] lastSignalMs = {-1, -1};     // per channel: the end of its last window with signal
    private final boolean[] signalSeen = new boolean[2];
    private final int[] deadWindows = new int[2];      // per channel: windows showing it dead since its last signal
    private boolean holdAdvised;
    private WindowLevels lastLevels;
    private volatile HealthSnapshot published;

    /**
     * @param strategy the configured strategy: {@code auto}, or e.g. {@code swap} for a feed known to be swapped
     * @param listener gets every event, on the thread that calls {@link #accept}
     */
    public AudioHealth(String streamId, int sampleRate, int channels, ChannelStrategy strategy,
                       Consumer<HealthEvent> listener) {
        if (sampleRate < 2 || channels < 1) {
            throw new IllegalArgumentException("bad format: " + sampleRate + " Hz, " + channels + " channels");
        }
        this.streamId = Objects.requireNonNull(streamId);
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.windowFrames = sampleRate * WINDOW_MS / 1000;
        this.listener = Objects.requireNonNull(listener);
        this.meter = new WindowMeter(channels);
        this.pieceMeter = new WindowMeter(channels);
        this.pieceFrames = Math.max(1, sampleRate * PIECE_MS / 1000);
        this.requested = Objects.requireNonNull(strategy);
        this.condition = channels == 1 ? HealthState.MONO_SOURCE : HealthState.UNKNOWN;
        this.effective = resolve();
        publish();
    }

    /**
     * Measures {@code frames} frames of interleaved PCM whose first frame is at {@code streamOffsetMs} on the
     * stream's {@code start} clock. Decisions (and events) happen as windows complete.
     */
    public void accept(short[] interleaved, int frames, long streamOffsetMs) {
        accept(interleaved, frames, streamOffsetMs, null);
    }

    /** What {@link #accept(short[], int, long, Pieces)} reports after judging each piece of a chunk. */
    interface Pieces {
        /** Frames {@code [firstFrame, firstFrame + frames)} of the chunk are judged; decisions so far are in force. */
        void judged(int firstFrame, int frames);
    }

    /**
     * As {@link #accept(short[], int, long)}, telling {@code pieces} after each piece (at most 50 ms, never across
     * a window's end) so that a {@link ChannelRepair} can mix or hold exactly what was judged.
     */
    void accept(short[] interleaved, int frames, long streamOffsetMs, Pieces pieces) {
        if (frames < 0 || (long) frames * channels > interleaved.length) {
            throw new IllegalArgumentException(frames + " frames of " + channels + " channels do not fit in "
                    + interleaved.length + " samples");
        }
        // Offsets come in whole ms; counting frames from an anchor keeps window ends exact (2000, not 1999) as long
        // as the caller's clock agrees with the sample count, and re-anchors when it does not.
        if (anchorMs < 0 || Math.abs(streamOffsetMs - (anchorMs + anchorFrames * 1000 / sampleRate)) > 1) {
            anchorMs = streamOffsetMs;
            anchorFrames = 0;
        }
        if (lastSignalMs[0] < 0) {
            lastSignalMs[0] = lastSignalMs[1] = streamOffsetMs; // "no signal since" counts from the stream's start
        }
        int done = 0;
        while (done < frames) {
            long windowFill = meter.frames() + pieceMeter.frames();
            int take = (int) Math.min(frames - done,
                    Math.min(windowFrames - windowFill, pieceFrames - pieceMeter.frames()));
            int first = done;
            done += take;
            long endMs = anchorMs + (anchorFrames + done) * 1000 / sampleRate;
            WindowLevels piece = null;
            WindowLevels windowSoFar = null;
            boolean windowDone = windowFill + take == windowFrames;
            if (channels == 1) {
                meter.add(interleaved, first, take);
            } else {
                // one pass over the samples: the piece is metered alone, then absorbed into its window
                pieceMeter.add(interleaved, first, take);
                piece = pieceMeter.peek();
                if (pieceMeter.frames() == pieceFrames || windowDone) {
                    meter.absorb(pieceMeter);
                } else {
                    windowSoFar = meter.peekWith(pieceMeter);
                }
                wake(piece, endMs);
            }
            if (windowDone) {
                endWindow(endMs);
                windowSoFar = null;
            } else if (windowSoFar == null && channels > 1) {
                windowSoFar = meter.peek();
            }
            adviseHold(piece, windowSoFar);
            if (pieces != null) {
                pieces.judged(first, take);
            }
        }
        anchorFrames += frames;
    }

    /**
     * True while the audio just judged would lose its speech to the strategy in force (a cancelling sum, a stale
     * repair) or a pending decision would change the strategy: the audio should wait for the decision rather than
     * reach the recogniser as it is. Never with an operator's strategy, which no decision changes. Session thread only.
     */
    boolean holdAdvised() {
        return holdAdvised;
    }

    int sampleRate() {
        return sampleRate;
    }

    int channels() {
        return channels;
    }

    /** The strategy to mix with now: never {@code auto}. Session thread only. */
    public ChannelStrategy effectiveStrategy() {
        return effective;
    }

    /** Asks for a strategy (an operator's override, or {@code auto} to hand back); applied at the next window. */
    public void request(ChannelStrategy strategy) {
        pendingRequest.set(Objects.requireNonNull(strategy));
    }

    /** The current health for the operator API; a pending request shows as {@code requested} at once. */
    public HealthSnapshot snapshot() {
        HealthSnapshot s = published;
        ChannelStrategy pending = pendingRequest.get();
        return pending == null ? s : new HealthSnapshot(s.streamId(), s.channels(), s.state(), s.dcOffset(), pending,
                s.effective(), s.lastWindowEndMs(), s.levels(), s.recentEvents(), s.eventCounts());
    }

    private void endWindow(long endMs) {
        WindowLevels levels = meter.finish();
        lastLevels = levels;
        lastWindowEndMs = endMs;
        ChannelStrategy wanted = pendingRequest.getAndSet(null);
        if (wanted != null && wanted != requested) {
            requested = wanted;
            effective = resolve();
            String who = wanted == ChannelStrategy.AUTO ? "operator returned to auto" : "operator set '" + wanted + "'";
            emit(HealthEvent.Kind.STRATEGY, endMs, levels, who + " (state " + state + ") -> " + phrase(effective));
        }
        judge(levels, endMs);
        watchDc(levels, endMs);
        publish();
    }

    private void judge(WindowLevels levels, long endMs) {
        Verdict verdict = verdict(levels);
        if (verdict != Verdict.SILENT && channels > 1) {
            track(levels, verdict, endMs);
        }
        if (verdict == Verdict.LEFT_DEAD) {
            verdict = deadVerdict(0, Verdict.LEFT_DEAD, endMs);
        } else if (verdict == Verdict.RIGHT_DEAD) {
            verdict = deadVerdict(1, Verdict.RIGHT_DEAD, endMs);
        }
        boolean explained = false; // this window shows the condition, so its numbers say why
        if (verdict == Verdict.SILENT) {
            silentWindows++;
        } else {
            silentWindows = 0;
            explained = weigh(verdict, levels) || verdict.shows == condition;
        }
        report(levels, endMs, explained);
    }

    /** Emits the state (condition, or silence) if it changed; {@code explained}: the levels show why. */
    private void report(WindowLevels levels, long endMs, boolean explained) {
        HealthState next;
        if (silentWindows >= SILENCE_WINDOWS || (state == HealthState.SILENCE && condition == HealthState.UNKNOWN)) {
            next = HealthState.SILENCE;
        } else {
            next = condition;
        }
        if (next != state) {
            HealthState before = state;
            state = next;
            effective = resolve();
            emit(HealthEvent.Kind.of(next), endMs, levels, (before == HealthState.SILENCE && !explained
                    ? backText(levels) : stateText(before, levels)) + " -> " + actionText());
        }
    }

    private Verdict verdict(WindowLevels w) {
        double left = w.left().rmsDbfs();
        if (w.right() == null) {
            return left > SIGNAL_DBFS ? Verdict.NEUTRAL : Verdict.SILENT;
        }
        double right = w.right().rmsDbfs();
        if (Math.max(left, right) <= SIGNAL_DBFS) {
            return Verdict.SILENT;
        }
        if (left < DEAD_DBFS || left <= right - DEAD_GAP_DB) {
            return Verdict.LEFT_DEAD;
        }
        if (right < DEAD_DBFS || right <= left - DEAD_GAP_DB) {
            return Verdict.RIGHT_DEAD;
        }
        if (left <= SIGNAL_DBFS || right <= SIGNAL_DBFS) {
            return Verdict.NORMAL; // one quiet but alive channel: phase is not judged, and nothing is wrong
        }
        if (w.sumVsLouderDb() <= CANCELLED_DB) {
            return Verdict.CANCELLED;
        }
        if (w.correlation() <= INVERTED_R) {
            return Verdict.INVERTED;
        }
        return w.correlation() <= NORMAL_R ? Verdict.NEUTRAL : Verdict.NORMAL;
    }

    /** Adds one window's evidence; true when it settles a new condition. */
    private boolean weigh(Verdict verdict, WindowLevels levels) {
        HealthState shown = verdict.shows;
        if (shown == null || channels == 1) {
            return false;
        }
        if (shown == condition) {
            candidate = null;
            return false;
        }
        if (verdict == Verdict.LEFT_DEAD || verdict == Verdict.RIGHT_DEAD) {
            settle(shown, levels); // deadVerdict already waited DEAD_WINDOW_MS
            return true;
        }
        if (shown != candidate) {
            candidate = shown;
            candidateWindows = 0;
            cancelledWindows = 0;
        }
        candidateRepair = repairFor(shown, levels);
        candidateWindows++;
        cancelledWindows = verdict == Verdict.CANCELLED ? cancelledWindows + 1 : 0;
        if (candidateWindows >= CONFIRM_WINDOWS || cancelledWindows >= CANCELLED_CONFIRM_WINDOWS) {
            settle(shown, levels);
            return true;
        }
        return false;
    }

    private void settle(HealthState shown, WindowLevels levels) {
        condition = shown;
        repair = repairFor(shown, levels);
        candidate = null;
        effective = resolve();
    }

    /** Remembers which channel carried signal when; counts the windows that show a channel dead. */
    private void track(WindowLevels levels, Verdict verdict, long endMs) {
        for (int channel = 0; channel < 2; channel++) {
            if (carriesSignal(levels, channel)) {
                lastSignalMs[channel] = endMs;
                signalSeen[channel] = true;
                deadWindows[channel] = 0;
            }
        }
        if (verdict == Verdict.LEFT_DEAD) {
            deadWindows[0]++;
        } else if (verdict == Verdict.RIGHT_DEAD) {
            deadWindows[1]++;
        }
    }

    /**
     * A window where one channel is silent and the other speaks. Evidence of a dead channel only after
     * {@link #DEAD_WINDOW_MS} without signal on it; before that, if it carried speech earlier, evidence of the
     * opposite: two microphones taking turns, which only the sum captions.
     */
    private Verdict deadVerdict(int channel, Verdict dead, long endMs) {
        if (condition == dead.shows) {
            return dead;
        }
        if (endMs - lastSignalMs[channel] < DEAD_WINDOW_MS) {
            return signalSeen[channel] ? Verdict.NORMAL : Verdict.NEUTRAL;
        }
        return deadWindows[channel] >= CONFIRM_WINDOWS ? dead : Verdict.NEUTRAL;
    }

    /** A channel judged dead that carries signal in this piece is used again at once, before the piece is mixed. */
    private void wake(WindowLevels piece, long endMs) {
        int channel = condition == HealthState.LEFT_DEAD ? 0 : condition == HealthState.RIGHT_DEAD ? 1 : -1;
        if (channel < 0 || !carriesSignal(piece, channel)) {
            return;
        }
        lastSignalMs[channel] = endMs;
        signalSeen[channel] = true;
        deadWindows[channel] = 0;
        HealthState was = condition;
        settle(HealthState.OK, piece);
        if (state == was) {
            state = HealthState.OK;
            emit(HealthEvent.Kind.OK, endMs, piece, (channel == 0 ? "left" : "right")
                    + " channel carries audio again (" + stereoText(piece) + ", was " + was + ") -> " + actionText());
        }
        publish();
    }

    private static boolean carriesSignal(WindowLevels levels, int channel) {
        double own = channel == 0 ? levels.left().rmsDbfs() : levels.right().rmsDbfs();
        double other = channel == 0 ? levels.right().rmsDbfs() : levels.left().rmsDbfs();
        return own > SIGNAL_DBFS && own > other - DEAD_GAP_DB;
    }

    private void adviseHold(WindowLevels piece, WindowLevels windowSoFar) {
        holdAdvised = requested == ChannelStrategy.AUTO && channels > 1
                && (loses(piece) || (windowSoFar != null && loses(windowSoFar))
                || (candidate != null && candidateRepair != effective));
    }

    /** True when the strategy in force leaves this audio's speech 12 dB or more below its louder channel. */
    private boolean loses(WindowLevels w) {
        double louder = w.louderDbfs();
        return louder > SIGNAL_DBFS && mixDbfs(w, effective) - louder <= CANCELLED_DB;
    }

    /** The level of the mono signal {@code strategy} makes of a window, from its channels' powers and r. */
    static double mixDbfs(WindowLevels w, ChannelStrategy strategy) {
        double left = Math.pow(10, w.left().rmsDbfs() / 10);
        double right = Math.pow(10, w.right().rmsDbfs() / 10);
        double shared = 2 * (w.correlation() == null ? 0 : w.correlation()) * Math.sqrt(left * right);
        double power = switch (strategy) {
            case LEFT -> left;
            case RIGHT -> right;
            case INVERT_RIGHT -> (left + right - shared) / 4;
            case SUM, SWAP, AUTO -> (left + right + shared) / 4;
        };
        return 10 * Math.log10(Math.max(power, 1e-12));
    }

    private static ChannelStrategy repairFor(HealthState condition, WindowLevels levels) {
        return switch (condition) {
            case LEFT_DEAD -> ChannelStrategy.RIGHT;
            case RIGHT_DEAD -> ChannelStrategy.LEFT;
            case PHASE_INVERTED -> levels.correlation() <= COHERENT_INVERSION_R ? ChannelStrategy.INVERT_RIGHT
                    : levels.left().rmsDbfs() >= levels.right().rmsDbfs() ? ChannelStrategy.LEFT : ChannelStrategy.RIGHT;
            default -> ChannelStrategy.SUM;
        };
    }

    private void watchDc(WindowLevels levels, long endMs) {
        double dc = Math.abs(levels.left().dcPercent());
        if (levels.right() != null) {
            dc = Math.max(dc, Math.abs(levels.right().dcPercent()));
        }
        boolean contrary = dcOffset ? dc < DC_CLEAR_PERCENT : dc > DC_PERCENT;
        dcWindows = contrary ? dcWindows + 1 : 0;
        if (dcWindows < CONFIRM_WINDOWS) {
            return;
        }
        dcWindows = 0;
        dcOffset = !dcOffset;
        if (dcOffset) {
            emit(HealthEvent.Kind.DC_OFFSET, endMs, levels, "DC offset: " + dcText(levels)
                    + " of full scale (above 1 %); flagged only, recognition is unaffected; check the source's"
                    + " converter or mixer");
        } else {
            emit(HealthEvent.Kind.DC_OFFSET_CLEARED, endMs, levels, "DC offset gone: " + dcText(levels));
        }
    }

    private ChannelStrategy resolve() {
        return requested == ChannelStrategy.AUTO ? repair : requested;
    }

    private void emit(HealthEvent.Kind kind, long endMs, WindowLevels levels, String message) {
        HealthEvent event = new HealthEvent(streamId, Instant.now(), endMs, kind, state, dcOffset, requested,
                effective, levels, message);
        boolean fault = kind == HealthEvent.Kind.DC_OFFSET || (kind != HealthEvent.Kind.STRATEGY
                && state != HealthState.OK && state != HealthState.MONO_SOURCE);
        if (fault) {
            log.warn("stream {} at {} ms: {}", streamId, endMs, message);
        } else {
            log.info("stream {} at {} ms: {}", streamId, endMs, message);
        }
        recent.addLast(event);
        if (recent.size() > RECENT_EVENTS) {
            recent.removeFirst();
        }
        counts.merge(kind.wireName(), 1L, Long::sum);
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            log.error("stream {}: audio health listener failed on {}", streamId, kind, e);
        }
    }

    private void publish() {
        published = new HealthSnapshot(streamId, channels, state, dcOffset, requested, effective, lastWindowEndMs,
                lastLevels, List.copyOf(recent), counts);
    }

    private String stateText(HealthState before, WindowLevels w) {
        String text = switch (state) {
            case OK -> w.right() != null && (!carriesSignal(w, 0) || !carriesSignal(w, 1))
                    ? "audio ok: both channels carry speech, in turns (" + stereoText(w) + ")"
                    : "audio ok: " + stereoText(w);
            case MONO_SOURCE -> "mono source: one channel (" + db(w.left().rmsDbfs()) + "), nothing to compare";
            case SILENCE -> "silence: no channel above " + db(SIGNAL_DBFS) + " for 10 s (" + levelsText(w)
                    + "); no captions until audio returns";
            case PHASE_INVERTED -> "phase inverted: " + (w.correlation() != null && w.correlation() <= -0.95
                    ? "right channel is the negative of left" : "channels in opposite phase")
                    + " (r=" + number(w.correlation(), "%.2f") + ", mono sum "
                    + number(w.sumVsLouderDb() == null ? null : -w.sumVsLouderDb(), "%.0f") + " dB below "
                    + (w.left().rmsDbfs() >= w.right().rmsDbfs() ? "left" : "right") + ")";
            case LEFT_DEAD -> "left channel dead: " + db(w.left().rmsDbfs()) + " while right carries "
                    + db(w.right().rmsDbfs());
            case RIGHT_DEAD -> "right channel dead: " + db(w.right().rmsDbfs()) + " while left carries "
                    + db(w.left().rmsDbfs());
            case UNKNOWN -> "not judged yet";
        };
        return before == HealthState.UNKNOWN ? text : text + " (was " + before + ")";
    }

    /** Audio resumed and the fault found before the silence is assumed until the windows say otherwise. */
    private String backText(WindowLevels w) {
        String text = "audio back after silence (" + stereoText(w) + ")";
        return state == HealthState.OK || state == HealthState.MONO_SOURCE ? text
                : text + "; still treated as " + state + " until 2 s of audio confirm or clear it";
    }

    private String actionText() {
        String action = phrase(effective);
        if (requested == ChannelStrategy.AUTO || repair == requested) {
            return action;
        }
        return action + " as requested (auto would be " + phrase(repair) + ")";
    }

    private String phrase(ChannelStrategy strategy) {
        if (channels == 1) {
            return "passing it through";
        }
        return switch (strategy) {
            case SUM, AUTO -> "mono sum";
            case LEFT -> "using left only";
            case RIGHT -> "using right only";
            case INVERT_RIGHT -> "inverting right";
            case SWAP -> "swapping left and right, then mono sum";
        };
    }

    private static String stereoText(WindowLevels w) {
        return levelsText(w) + (w.correlation() == null ? "" : ", r=" + number(w.correlation(), "%.2f"));
    }

    private static String levelsText(WindowLevels w) {
        return w.right() == null ? db(w.left().rmsDbfs())
                : "left " + db(w.left().rmsDbfs()) + ", right " + db(w.right().rmsDbfs());
    }

    private static String dcText(WindowLevels w) {
        return w.right() == null ? percent(w.left().dcPercent())
                : "left " + percent(w.left().dcPercent()) + ", right " + percent(w.right().dcPercent());
    }

    private static String db(double dbfs) {
        return String.format(Locale.ROOT, "%.1f dBFS", dbfs);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%+.2f %%", value);
    }

    private static String number(Double value, String format) {
        return value == null ? "n/a" : String.format(Locale.ROOT, format, value);
    }
}
