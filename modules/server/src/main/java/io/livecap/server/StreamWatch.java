package io.livecap.server;

import io.livecap.audio.HealthEvent;
import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionSubscriber;
import io.livecap.session.StreamSession;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the console remembers of one stream: its latest finals and partial, the latency of each final from the
 * arrival of its last audio to its caption, and an event log. Fed on the session thread, read by console pushes.
 */
final class StreamWatch implements CaptionSubscriber {

    static final int KEPT_FINALS = 50;
    static final int KEPT_LATENCIES = 200;
    static final int KEPT_EVENTS = 100;
    /** {@code livecap_caption_latency_seconds{final}}: from a caption's last audio arriving to the caption sent. */
    private static final Timer FINAL_LATENCY = latency(true);
    private static final Timer PARTIAL_LATENCY = latency(false);

    /** A final as the console shows it, with when livecap sent it. */
    record Sent(Caption caption, long sentEpochMs, long latencyMs) {
    }

    private final String streamId;
    private volatile StreamSession session;
    private final ArrayDeque<Sent> finals = new ArrayDeque<>();
    private final ArrayDeque<Long> latencies = new ArrayDeque<>();
    private final ArrayDeque<Map<String, Object>> events = new ArrayDeque<>();
    private Caption partial;
    private Instant endedAt;
    private long finalCount;
    private String lastPull;
    private int lastGaps;
    private int lastJumps;
    /** Finals' send times and mean word confidences, for the rolling confidence alert. */
    private final ArrayDeque<double[]> confidences = new ArrayDeque<>();
    private long lastFinalMs;
    /**
     * {@code start_epoch - start} of this session's first final: where the arrival clock stood against the media
     * clock. Null until a final came; each later final's difference from it is the timing drift.
     */
    private Long epochOffsetMs;
    private Long timingDriftMs;
    /** When the first partial after the last final came (speech being heard), 0 = none since. */
    private long speechSinceMs;

    StreamWatch(String streamId, StreamSession session) {
        this.streamId = streamId;
        this.session = session;
    }

    StreamSession session() {
        return session;
    }

    /** The stream id came back with a new session (a reconnect): the history goes on. */
    synchronized void follow(StreamSession next) {
        session = next;
        endedAt = null;
        epochOffsetMs = null; // a new source brings its own arrival times
        timingDriftMs = null;
        log("session", "a new source started the stream");
    }

    @Override
    public synchronized void onCaption(Caption caption) {
        long now = System.currentTimeMillis();
        // the last audio of this caption arrived at start_epoch + its length; the caption went out now
        long latency = Math.max(0, now - (caption.startEpoch() + caption.endMs() - caption.startMs()));
        (caption.isFinal() ? FINAL_LATENCY : PARTIAL_LATENCY).record(latency, TimeUnit.MILLISECONDS);
        if (!caption.isFinal()) {
            partial = caption;
            if (speechSinceMs == 0) {
                speechSinceMs = now;
            }
            return;
        }
        lastFinalMs = now;
        speechSinceMs = 0;
        long offset = caption.startEpoch() - caption.startMs();
        if (epochOffsetMs == null) {
            epochOffsetMs = offset;
        } else {
            timingDriftMs = offset - epochOffsetMs;
        }
        Double confidence = confidence(caption);
        if (confidence != null) {
            confidences.addLast(new double[]{now, confidence});
            if (confidences.size() > KEPT_LATENCIES) {
                confidences.removeFirst();
            }
        }
        finals.addLast(new Sent(caption, now, latency));
        if (finals.size() > KEPT_FINALS) {
            finals.removeFirst();
        }
        latencies.addLast(latency);
        if (latencies.size() > KEPT_LATENCIES) {
            latencies.removeFirst();
        }
        if (partial != null && partial.utterance() == caption.utterance()) {
            partial = null;
        }
        finalCount++;
    }

    @Override
    public synchronized void onHealth(HealthEvent event) {
        log("audio_" + event.kind().wireName(), event.message());
    }

    @Override
    public synchronized void onEndOfStream(String id, long lastSeq, String reason) {
        endedAt = Instant.now();
        partial = null;
        log("ended", reason + " (last seq " + lastSeq + ")");
    }

    /** The stream left the live list and its eos never came (it ended before this watch attached). */
    synchronized void noteGone() {
        if (endedAt == null) {
            endedAt = Instant.now();
            partial = null;
            log("ended", "the stream is gone");
        }
    }

    /** Notes what the console only sees by looking: a pull's state, new gaps and pts jumps. */
    synchronized void observe(String pullState, int gaps, int jumps) {
        if (pullState != null && !pullState.equals(lastPull)) {
            log("pull_" + pullState, "pull " + (lastPull == null ? "is " : "went from " + lastPull + " to ") + pullState);
            lastPull = pullState;
        }
        if (gaps > lastGaps) {
            log("gap", (gaps - lastGaps) + " media gap(s); " + gaps + " recent");
        }
        if (jumps > lastJumps) {
            log("discontinuity", (jumps - lastJumps) + " pts discontinuity(ies); " + jumps + " in all");
        }
        lastGaps = gaps;
        lastJumps = jumps;
    }

    /** The mean confidence of the finals sent in the last {@code windowMs}; null with none. */
    synchronized Double meanConfidence(long windowMs) {
        long since = System.currentTimeMillis() - windowMs;
        double sum = 0;
        int n = 0;
        for (double[] c : confidences) {
            if (c[0] >= since) {
                sum += c[1];
                n++;
            }
        }
        return n == 0 ? null : sum / n;
    }

    /**
     * How far the last final's {@code start_epoch} is from where the session's first final puts it on the media
     * clock, in ms: positive when the audio arrives later than its media time says (a source slower than real time,
     * a stalling relay), negative when earlier (faster than real time). Null before the second final.
     */
    synchronized Long timingDriftMs() {
        return timingDriftMs;
    }

    /** How long speech (a partial) has gone without a final, in ms; 0 when none is pending. */
    synchronized long speechWithoutFinalMs() {
        return speechSinceMs == 0 ? 0 : System.currentTimeMillis() - speechSinceMs;
    }

    synchronized Instant endedAt() {
        return endedAt;
    }

    private void log(String kind, String message) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("at", Instant.now().toString());
        event.put("kind", kind);
        event.put("message", message);
        events.addLast(event);
        if (events.size() > KEPT_EVENTS) {
            events.removeFirst();
        }
    }

    /** The row values the streams page shows: latency percentiles and the last caption. */
    synchronized Map<String, Object> summary() {
        Map<String, Object> row = new LinkedHashMap<>();
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        row.put("latency_p50_ms", percentile(sorted, 50));
        row.put("latency_p95_ms", percentile(sorted, 95));
        row.put("finals", finalCount);
        row.put("timing_drift_ms", timingDriftMs);
        Sent last = finals.peekLast();
        row.put("last_caption", last == null ? null : last.caption().text());
        row.put("last_caption_at", last == null ? null : Instant.ofEpochMilli(last.sentEpochMs()).toString());
        return row;
    }

    /** The one-stream page's captions and event log. */
    synchronized Map<String, Object> detail() {
        Map<String, Object> detail = summary();
        List<Map<String, Object>> list = new ArrayList<>();
        for (Sent s : finals) {
            Caption c = s.caption();
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("seq", c.seq());
            f.put("utterance", c.utterance());
            f.put("text", c.text());
            f.put("lines", c.lines());
            f.put("start", c.startMs());
            f.put("end", c.endMs());
            f.put("start_pts", c.startPts());
            f.put("start_epoch", c.startEpoch());
            f.put("confidence", confidence(c));
            f.put("latency_ms", s.latencyMs());
            list.add(f);
        }
        detail.put("captions", list);
        detail.put("partial", partial == null ? null : Map.of("seq", partial.seq(), "text", partial.text(),
                "lines", partial.lines()));
        detail.put("events", List.copyOf(events));
        return detail;
    }

    /** The mean of the words' confidences; null when the engine gave none. */
    private static Double confidence(Caption c) {
        double[] values = c.words().stream().mapToDouble(w -> w.confidence()).toArray();
        return values.length == 0 ? null : Math.round(Arrays.stream(values).average().orElse(0) * 1000) / 1000.0;
    }

    private static Timer latency(boolean isFinal) {
        return Timer.builder("livecap.caption.latency").tag("final", String.valueOf(isFinal))
                .description("from the arrival of a caption's last audio to the caption going out")
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofSeconds(30)).register(Metrics.globalRegistry);
    }

    private static Long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return null;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    }

    @Override
    public String toString() {
        return "console watch of " + streamId;
    }
}
