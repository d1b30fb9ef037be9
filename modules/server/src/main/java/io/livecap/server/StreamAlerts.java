package io.livecap.server;

import io.livecap.alerts.AlertBoard;
import io.livecap.alerts.AlertKind;
import io.livecap.alerts.AlertSettings;
import io.livecap.audio.HealthSnapshot;
import io.livecap.audio.HealthState;
import io.livecap.session.StreamSession;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Looks at every live stream on the console's tick and raises or clears its alerts on the board: no media, gaps
 * and pts jumps, timing drift, low confidence, a lagging transcript, pull restarts and audio health. What it needs to remember
 * between looks (the audio seen, the counts seen) it keeps per stream id.
 */
final class StreamAlerts {

    private static final class Seen {
        long audioMs = -1;
        long audioChangedAtMs;
        int gaps;
        int jumps;
        String pull;
        int restarts;
    }

    private final AlertBoard board;
    private final Map<String, Seen> seen = new ConcurrentHashMap<>();

    StreamAlerts(AlertBoard board) {
        this.board = board;
    }

    AlertBoard board() {
        return board;
    }

    void look(StreamSession s, StreamWatch watch, String pullState, Map<String, Object> timing) {
        AlertSettings settings = board.settings();
        String id = s.streamId();
        Seen before = seen.computeIfAbsent(id, k -> new Seen());
        long now = System.currentTimeMillis();
        long audio = s.audioMs();
        if (audio != before.audioMs) {
            before.audioMs = audio;
            before.audioChangedAtMs = now;
            board.clear(AlertKind.NO_MEDIA, id);
        } else if (now - before.audioChangedAtMs >= settings.noMedia().toMillis()) {
            board.raise(AlertKind.NO_MEDIA, id, "no audio for " + (now - before.audioChangedAtMs) / 1000 + " s");
        }
        int gaps = ((List<?>) timing.get("gaps")).size();
        int jumps = ((List<?>) timing.get("discontinuities")).size();
        if (gaps > before.gaps) {
            board.raise(AlertKind.MEDIA_GAP, id, (gaps - before.gaps) + " media gap(s); " + gaps + " recent");
        }
        if (jumps > before.jumps) {
            board.raise(AlertKind.PTS_DISCONTINUITY, id, (jumps - before.jumps) + " pts discontinuity(ies); "
                    + jumps + " in all");
        }
        before.gaps = gaps;
        before.jumps = jumps;
        if ("retrying".equals(pullState) && !"retrying".equals(before.pull)) {
            before.restarts++;
            board.raise(AlertKind.PULL_RESTARTED, id, "pull restarting (" + before.restarts + " time(s))");
        }
        before.pull = pullState;
        Double confidence = watch == null ? null : watch.meanConfidence(settings.confidenceWindow().toMillis());
        if (confidence != null && confidence < settings.minConfidence()) {
            board.raise(AlertKind.LOW_CONFIDENCE, id, String.format("mean word confidence %.2f over %d s (below %.2f)",
                    confidence, settings.confidenceWindowSeconds(), settings.minConfidence()));
        } else if (confidence != null) {
            board.clear(AlertKind.LOW_CONFIDENCE, id);
        }
        Long drift = watch == null ? null : watch.timingDriftMs();
        if (drift != null && Math.abs(drift) > settings.maxTimingDriftMs()) {
            board.raise(AlertKind.TIMING_MISMATCH, id, "captions' start_epoch drifted " + drift
                    + " ms from their media time since the first final (limit " + settings.maxTimingDriftMs()
                    + " ms): the source is " + (drift < 0 ? "faster" : "slower") + " than real time");
        } else if (drift != null) {
            board.clear(AlertKind.TIMING_MISMATCH, id);
        }
        long backlog = s.backlogMs();
        long uncaptioned = watch == null ? 0 : watch.speechWithoutFinalMs();
        if (backlog > settings.maxBacklogMs()) {
            board.raise(AlertKind.TRANSCRIPT_LAGGING, id, "backlog " + backlog + " ms");
        } else if (uncaptioned >= settings.noCaption().toMillis()) {
            board.raise(AlertKind.TRANSCRIPT_LAGGING, id, "speech without a caption for " + uncaptioned / 1000 + " s");
        } else {
            board.clear(AlertKind.TRANSCRIPT_LAGGING, id);
        }
        HealthSnapshot health = s.health();
        if (health != null && health.state() != HealthState.OK && health.state() != HealthState.UNKNOWN) {
            board.raise(AlertKind.AUDIO_HEALTH, id, "audio " + health.state().wireName());
        } else {
            board.clear(AlertKind.AUDIO_HEALTH, id);
        }
    }

    /** The stream ended: its condition alerts go (event alerts stay until seen). */
    void ended(String id) {
        if (seen.remove(id) != null) {
            board.clearAllBut(id, List.of(AlertKind.MEDIA_GAP, AlertKind.PTS_DISCONTINUITY,
                    AlertKind.PULL_RESTARTED));
        }
    }

    /** REACH tasks' own alerts (the lifecycle's TaskAlert), as the task board lists them. */
    void lookAtTasks(List<Map<String, Object>> tasks) {
        for (Map<String, Object> task : tasks) {
            String subject = task.get("region") + "/" + task.get("id");
            List<?> alerts = task.get("alerts") instanceof List<?> list ? list : List.of();
            String state = String.valueOf(task.get("state"));
            boolean over = List.of("READY", "ERROR", "REJECTED", "CANCELED", "CANCELLED").contains(state);
            task(subject, AlertKind.REACH_HALF_TAT, !over && alerts.contains("half"),
                    "task " + subject + " is past half its turn-around time (" + state + ")");
            task(subject, AlertKind.REACH_STUCK, !over && (alerts.contains("stuck") || alerts.contains("media_failed")),
                    "task " + subject + " is " + (alerts.contains("stuck") ? "past its expected finish"
                            : "without media: its pull gave up") + " (" + state + ")");
            // a captionUrl push that was refused or stopped short, or a caption asset that failed
            String push = task.get("caption_url") instanceof Map<?, ?> url ? String.valueOf(url.get("state")) : "";
            boolean pushFailed = push.equals("refused") || push.equals("incomplete");
            boolean assetFailed = alerts.contains("asset") && !state.equals("READY");
            // a task that ended in ERROR delivered nothing the customer can use (its asset failed, REACH lost it)
            boolean lost = state.equals("ERROR");
            task(subject, AlertKind.DELIVERY_FAILING, assetFailed || lost || pushFailed && !over,
                    "task " + subject + ": " + (lost ? "ended in ERROR" + (task.get("error") == null ? ""
                            : " (" + task.get("error") + ")") : assetFailed ? "its caption asset failed"
                            : "its captionUrl push is " + push));
        }
    }

    private void task(String subject, AlertKind kind, boolean holds, String message) {
        if (holds) {
            board.raise(kind, subject, message);
        } else {
            board.clear(kind, subject);
        }
    }
}
