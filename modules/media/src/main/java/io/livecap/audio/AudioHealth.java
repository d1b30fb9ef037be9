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
 * Watches a live stream's channels and decides how they should reach the recogniser (ARCHITECTURE.md, "Audio
 * health"; Kaltura asks vendors to test stereo against mono, log anomalies so the partner sees the cause, and have a
 * fallback). It decides; the session applies the decision with a {@link ChannelMixer}.
 *
 * <p>It cuts the PCM into 0.5 s windows of its own, whatever the chunk size, and judges channels 1 and 2 of each:
 * <ul>
 * <li>phase inverted: both channels above -50 dBFS with r &lt;= -0.5, or the mono sum 12 dB or more below the louder
 *     channel (captions are vanishing, so this needs only 1 s); auto inverts the right channel, or takes the louder
 *     channel alone when the channels are only partly opposed (r &gt; -0.8), since inverting would then cancel the
 *     part they share;</li>
 * <li>left/right dead: the channel below -60 dBFS or 40 dB under the other while the other is above -50 dBFS;
 *     auto uses the live one;</li>
 * <li>silence: every channel below -50 dBFS for 10 s;</li>
 * <li>DC offset: a channel's mean above 1 % of full scale for 2 s (cleared below 0.5 % for 2 s); flagged only,
 *     recognisers remove DC themselves.</li>
 * </ul>
 *
 * <p>Hysteresis: a condition is declared after 2 s of windows showing it (1 s for the cancelling sum) and left after
 * 2 s of windows showing the contrary. Windows that show neither (silence, speech pauses, r between -0.5 and -0.3)
 * neither count nor reset, so pauses cannot make a state flap and a fixed source is back to ok after 2 s of audio.
 * Every change is one {@link HealthEvent}, logged, counted and handed to the listener.
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
    private final AtomicReference<ChannelStrategy> pendingRequest = new AtomicReference<>();
    private final ArrayDeque<HealthEvent> recent = new ArrayDeque<>();
    private final Map<String, Long> counts = new TreeMap<>();

    private ChannelStrategy requested;
    private ChannelStrategy repair = ChannelStrategy.SUM; // what auto does for the current condition
    private ChannelStrategy effective;
    private HealthState condition;                         // what the channels show, silence aside
    private HealthState state = HealthState.UNKNOWN;       // what is reported: condition, or silence
    private HealthState candidate;
    private int candidateWindows;
    private int cancelledWindows;
    private int silentWindows;
    private boolean dcOffset;
    private int dcWindows;
    private long anchorMs = -1;
    private long anchorFrames;
    private long lastWindowEndMs = -1;
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
        int done = 0;
        while (done < frames) {
            int take = (int) Math.min(frames - done, windowFrames - meter.frames());
            meter.add(interleaved, done, take);
            done += take;
            if (meter.frames() == windowFrames) {
                endWindow(anchorMs + (anchorFrames + done) * 1000 / sampleRate);
            }
        }
        anchorFrames += frames;
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
            emit(HealthEvent.STRATEGY, endMs, levels, who + " (state " + state + ") -> " + phrase(effective));
        }
        judge(levels, endMs);
        watchDc(levels, endMs);
        publish();
    }

    private void judge(WindowLevels levels, long endMs) {
        Verdict verdict = verdict(levels);
        boolean explained = false; // this window shows the condition, so its numbers say why
        if (verdict == Verdict.SILENT) {
            silentWindows++;
        } else {
            silentWindows = 0;
            explained = weigh(verdict, levels) || verdict.shows == condition;
        }
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
            emit(next.wireName(), endMs, levels, (before == HealthState.SILENCE && !explained
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
        if (shown != candidate) {
            candidate = shown;
            candidateWindows = 0;
            cancelledWindows = 0;
        }
        candidateWindows++;
        cancelledWindows = verdict == Verdict.CANCELLED ? cancelledWindows + 1 : 0;
        if (candidateWindows >= CONFIRM_WINDOWS || cancelledWindows >= CANCELLED_CONFIRM_WINDOWS) {
            condition = shown;
            repair = repairFor(shown, levels);
            candidate = null;
            return true;
        }
        return false;
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
            emit(HealthEvent.DC_OFFSET, endMs, levels, "DC offset: " + dcText(levels)
                    + " of full scale (above 1 %); flagged only, recognition is unaffected; check the source's"
                    + " converter or mixer");
        } else {
            emit(HealthEvent.DC_OFFSET_CLEARED, endMs, levels, "DC offset gone: " + dcText(levels));
        }
    }

    private ChannelStrategy resolve() {
        return requested == ChannelStrategy.AUTO ? repair : requested;
    }

    private void emit(String kind, long endMs, WindowLevels levels, String message) {
        HealthEvent event = new HealthEvent(streamId, Instant.now(), endMs, kind, state, dcOffset, requested,
                effective, levels, message);
        boolean fault = kind.equals(HealthEvent.DC_OFFSET) || (!kind.equals(HealthEvent.STRATEGY)
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
        counts.merge(kind, 1L, Long::sum);
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
            case OK -> "audio ok: " + stereoText(w);
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
