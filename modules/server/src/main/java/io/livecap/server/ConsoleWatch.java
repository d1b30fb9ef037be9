package io.livecap.server;

import io.livecap.alerts.Alert;
import io.livecap.alerts.AlertBoard;
import io.livecap.audio.HealthSnapshot;
import io.livecap.audio.HealthState;
import io.livecap.captions.Json;
import io.livecap.delivery.CaptionFeed;
import io.livecap.ingest.PullStatus;
import io.livecap.session.PullStream;
import io.livecap.session.Sessions;
import io.livecap.session.StreamSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The console's view of the node: subscribes to every live stream's captions (like any caption client, through its
 * feed) to measure latency and keep the last captions and events, and builds the snapshots the console's event
 * stream sends. Ended streams stay listed for {@link #KEPT_ENDED}.
 */
final class ConsoleWatch implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ConsoleWatch.class);
    static final Duration KEPT_ENDED = Duration.ofMinutes(15);
    /** How long a stream's eos may take to reach its watch once the stream is gone from the live list. */
    private static final Duration EOS_GRACE = Duration.ofSeconds(2);
    /** Backlog above this is an alert: the transcript lags the audio. */
    static final long LAGGING_BACKLOG_MS = 2_000;

    private final Sessions sessions;
    private final Map<String, StreamWatch> watches = new ConcurrentHashMap<>();
    private final Map<String, CaptionFeed> feeds = new ConcurrentHashMap<>();
    private final Map<String, Instant> goneSince = new ConcurrentHashMap<>(); // ids whose stream left, eos unseen
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "console-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile TaskBoard tasks = TaskBoard.NONE;
    private final StreamAlerts alerts;
    /** Ticks since the task board was last read for alerts: it reads the store, so every 2 s is enough. */
    private int ticksSinceTasks;

    private final StreamMeters meters;

    ConsoleWatch(Sessions sessions, AlertBoard board, StreamMeters meters) {
        this.sessions = sessions;
        this.meters = meters;
        this.alerts = new StreamAlerts(board);
        // the watch subscribes as the session opens, before it reads audio: no caption goes out unseen (a tick
        // would miss what a fast source's first second brings). The tick keeps the lists and alerts current
        sessions.whenOpened(this::watch);
        sessions.live().forEach(this::watch);
        ticker.scheduleWithFixedDelay(this::refresh, 0, 200, TimeUnit.MILLISECONDS);
    }

    void showTasks(TaskBoard board) {
        this.tasks = board;
    }

    TaskBoard tasks() {
        return tasks;
    }

    AlertBoard alerts() {
        return alerts.board();
    }

    /** Attaches to streams that started, lets go of those ended long enough ago. */
    private void refresh() {
        try {
            for (StreamSession s : sessions.live()) {
                StreamWatch watch = watch(s);
                Map<String, Object> timing = s.timingReport();
                String pullState = sessions.pull(s.streamId()).map(p -> p.status().state().wireName()).orElse(null);
                watch.observe(pullState,
                        ((List<?>) timing.get("gaps")).size(), ((List<?>) timing.get("discontinuities")).size());
                alerts.look(s, watch, pullState, timing);
            }
            for (String id : watches.keySet()) {
                if (sessions.get(id).isEmpty()) {
                    alerts.ended(id);
                }
            }
            if (++ticksSinceTasks >= 10 && tasks != TaskBoard.NONE) {
                ticksSinceTasks = 0;
                alerts.lookAtTasks(tasks.tasks());
            }
            alerts.board().expireEvents();
            meters.observe(List.copyOf(sessions.live()));
            // a feed is let go as soon as its stream ends (the hub drops unheld feeds); the watch's memory stays.
            // A stream that ended before the watch attached never sends it eos: gone a while, it counts as ended
            Instant now = Instant.now();
            letGo(now);
        } catch (RuntimeException e) {
            log.warn("console: refreshing the stream list failed", e);
        }
    }

    /**
     * Lets go of the feeds of streams that ended and the watches of streams ended long enough ago. Under the same
     * lock as {@link #watch}: a session opening meanwhile keeps what it just subscribed.
     */
    private synchronized void letGo(Instant now) {
        for (String id : List.copyOf(feeds.keySet())) {
            StreamWatch watch = watches.get(id);
            if (!sessions.get(id).isEmpty()) {
                goneSince.remove(id);
                continue;
            }
            Instant gone = goneSince.computeIfAbsent(id, k -> now);
            if (watch == null || watch.endedAt() != null || gone.isBefore(now.minus(EOS_GRACE))) {
                if (watch != null) {
                    watch.noteGone();
                }
                goneSince.remove(id);
                release(id, watch);
            }
        }
        Instant cutoff = Instant.now().minus(KEPT_ENDED);
        watches.entrySet().removeIf(e -> {
            Instant ended = e.getValue().endedAt();
            boolean drop = ended != null && ended.isBefore(cutoff) && sessions.get(e.getKey()).isEmpty();
            if (drop) {
                detach(e.getKey(), e.getValue());
            }
            return drop;
        });
    }

    /** The watch of {@code s}'s stream, made and subscribed if it has none, moved on to {@code s} if it was older. */
    private synchronized StreamWatch watch(StreamSession s) {
        StreamWatch watch = watches.get(s.streamId());
        if (watch == null) {
            watch = new StreamWatch(s.streamId(), s);
            watches.put(s.streamId(), watch);
            attach(s.streamId(), watch);
        } else if (watch.session() != s) {
            watch.follow(s);
            attach(s.streamId(), watch);
        }
        return watch;
    }

    private void attach(String id, StreamWatch watch) {
        CaptionFeed feed = feeds.computeIfAbsent(id, k -> sessions.hub().feed(k));
        feed.unsubscribe(watch);
        feed.observe(watch);
    }

    private void detach(String id, StreamWatch watch) {
        release(id, watch);
    }

    private synchronized void release(String id, StreamWatch watch) {
        CaptionFeed feed = feeds.remove(id);
        if (feed != null) {
            if (watch != null) {
                feed.unsubscribe(watch);
            }
            sessions.hub().release(feed);
        }
    }

    /** Every live and recently ended stream, as the streams page shows it. */
    List<Map<String, Object>> streams() {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (StreamSession s : sessions.live()) {
            seen.add(s.streamId());
            rows.add(row(s.streamId(), s));
        }
        for (String id : watches.keySet()) {
            if (!seen.contains(id)) {
                seen.add(id);
                rows.add(row(id, null));
            }
        }
        sessions.finishedPulls().forEach((id, status) -> {
            if (!seen.contains(id)) {
                rows.add(row(id, null));
            }
        });
        rows.sort((a, b) -> ((String) a.get("stream_id")).compareTo((String) b.get("stream_id")));
        return rows;
    }

    private Map<String, Object> row(String id, StreamSession s) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("stream_id", id);
        Optional<PullStream> pull = sessions.pull(id);
        PullStatus pullStatus = pull.map(PullStream::status).orElse(sessions.finishedPull(id).orElse(null));
        row.put("state", s == null ? "ended" : s.state().toString().toLowerCase());
        row.put("source", pullStatus != null ? "pull" : "push");
        row.put("pull_state", pullStatus == null ? null : pullStatus.state().wireName());
        // redacted (userinfo, query values and the key are ***): the console is no place for a stream key
        row.put("source_url", pull.map(p -> p.source().toString()).orElse(null));
        row.put("pull_error", pullStatus == null ? null : pullStatus.lastError());
        row.put("engine", sessions.engine().name());
        row.put("audio_ms", s == null ? null : s.audioMs());
        row.put("backlog_ms", s == null ? null : s.backlogMs());
        HealthSnapshot health = s == null ? null : s.health();
        row.put("audio_health", health == null ? null : health.state().wireName());
        row.put("channel_strategy", health == null ? null : health.effective().wireName());
        StreamWatch watch = watches.get(id);
        if (watch != null) {
            row.putAll(watch.summary());
        }
        row.put("alerts", alerts(s, health, pullStatus));
        return row;
    }

    /** What needs an operator's eye now, one short line each. */
    private static List<String> alerts(StreamSession s, HealthSnapshot health, PullStatus pull) {
        List<String> alerts = new ArrayList<>();
        if (health != null && health.state() != HealthState.OK && health.state() != HealthState.UNKNOWN) {
            alerts.add("audio " + health.state().wireName());
        }
        if (pull != null && (pull.state().wireName().equals("retrying") || pull.state().wireName().equals("failed"))) {
            alerts.add("pull " + pull.state().wireName() + (pull.lastError() == null ? "" : ": " + pull.lastError()));
        }
        if (s != null && s.backlogMs() > LAGGING_BACKLOG_MS) {
            alerts.add("transcript lagging: backlog " + s.backlogMs() + " ms");
        }
        return alerts;
    }

    /** One stream's page: its row, audio health, timing map, captions and event log; empty if unknown. */
    Optional<Map<String, Object>> stream(String id) {
        StreamSession s = sessions.get(id).orElse(null);
        StreamWatch watch = watches.get(id);
        if (s == null && watch == null && sessions.finishedPull(id).isEmpty()) {
            return Optional.empty();
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("row", row(id, s));
        if (s != null) {
            page.put("health", Json.MAPPER.convertValue(s.health(), Map.class));
            page.put("timing", s.timingReport());
        }
        if (watch != null) {
            page.putAll(watch.detail());
        }
        page.put("alert_list", alerts.board().activeOn(id).stream().map(Alert::toJson).toList());
        return Optional.of(page);
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        watches.forEach(this::detach);
    }
}
