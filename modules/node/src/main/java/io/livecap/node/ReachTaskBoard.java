package io.livecap.node;

import io.livecap.delivery.CaptionStore;
import io.livecap.lifecycle.KalturaUplink;
import io.livecap.lifecycle.LiveTask;
import io.livecap.lifecycle.LiveTaskRepository;
import io.livecap.lifecycle.TaskAlert;
import io.livecap.reach.TaskKey;
import io.livecap.server.TaskBoard;
import io.livecap.session.Sessions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The REACH tasks for the console and {@code GET /v1/tasks}: the active ones and those finished since this node
 * started (up to {@link #KEPT}), each with its audit trail as a timeline, its next step, its caption stream and the
 * push to its captionUrl. The audit trail holds no times the port gives out, so each state also carries when this
 * board first saw it.
 */
final class ReachTaskBoard implements TaskBoard {

    static final int KEPT = 200;

    private final LiveTaskRepository tasks;
    private final KalturaUplink uplink;
    private final Sessions sessions;
    private final CaptionStore store;
    private final LinkedHashSet<TaskKey> known = new LinkedHashSet<>();
    private final Map<TaskKey, Map<String, String>> stateSeenAt = new ConcurrentHashMap<>();

    ReachTaskBoard(LiveTaskRepository tasks, KalturaUplink uplink, Sessions sessions, CaptionStore store) {
        this.tasks = tasks;
        this.uplink = uplink;
        this.sessions = sessions;
        this.store = store;
    }

    @Override
    public synchronized List<Map<String, Object>> tasks() {
        for (LiveTask task : tasks.active()) {
            known.remove(task.key());
            known.add(task.key()); // newest last
        }
        while (known.size() > KEPT) {
            TaskKey oldest = known.iterator().next();
            known.remove(oldest);
            stateSeenAt.remove(oldest);
        }
        List<Map<String, Object>> list = new ArrayList<>();
        for (TaskKey key : known) {
            tasks.find(key).ifPresent(task -> list.add(row(task)));
        }
        return list;
    }

    private Map<String, Object> row(LiveTask task) {
        Map<String, String> seen = stateSeenAt.computeIfAbsent(task.key(), k -> new LinkedHashMap<>());
        seen.putIfAbsent(task.state().name(), Instant.now().toString());
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("region", task.key().region());
        row.put("id", task.key().id());
        row.put("entry_id", task.entryId());
        row.put("partner_id", task.partnerId());
        row.put("state", task.state().name());
        row.put("start_date", task.startDate().toString());
        row.put("end_date", task.endDate().toString());
        row.put("captions_from", task.captionsFrom().toString());
        row.put("cutoff_at", task.cutoffAt().toString());
        row.put("start_buffer_s", task.startBuffer().toSeconds());
        row.put("end_buffer_s", task.endBuffer().toSeconds());
        row.put("language", task.language());
        row.put("next", next(task));
        row.put("stream_id", task.streamId());
        row.put("stream_live", sessions.get(task.streamId()).isPresent());
        row.put("last_seq", store.lastSeq(task.streamId()));
        Optional<io.livecap.delivery.KalturaCaptionPusher> pusher = uplink == null ? Optional.empty()
                : uplink.pusher(task.key());
        row.put("caption_url", pusher.map(ReachTaskBoard::delivery).orElse(null));
        row.put("caption_asset_id", task.captionAssetId());
        row.put("accuracy", task.accuracy());
        row.put("error", task.error());
        row.put("alerts", task.alerts().stream().map(TaskAlert::wireName).sorted().toList());
        List<Map<String, Object>> timeline = new ArrayList<>();
        for (String entry : tasks.auditTrail(task.key())) {
            int colon = entry.indexOf(':');
            String kind = colon < 0 ? entry : entry.substring(0, colon);
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("kind", kind);
            step.put("detail", colon < 0 ? "" : entry.substring(colon + 1).trim());
            String state = kind.toUpperCase();
            step.put("state", seen.containsKey(state) || isState(state) ? state : null);
            step.put("seen_at", seen.get(state));
            timeline.add(step);
        }
        row.put("timeline", timeline);
        return row;
    }

    /** The push to the captionUrl: where, how far confirmed, over how many connections, and how it ended. */
    private static Map<String, Object> delivery(io.livecap.delivery.KalturaCaptionPusher p) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("destination", p.destination());
        d.put("confirmed_seq", p.confirmedSeq());
        d.put("connections", p.connections());
        var result = p.result();
        d.put("state", result.map(r -> r.outcome().name().toLowerCase()).orElse("pushing"));
        d.put("connected", result.isEmpty());
        d.put("detail", result.map(io.livecap.delivery.PushResult::detail).orElse(null));
        return d;
    }

    @Override
    public Answer retryDelivery(String region, long id) {
        TaskKey key;
        try {
            key = new TaskKey(region, id);
        } catch (IllegalArgumentException e) {
            return new Answer(400, Map.of("error", e.getMessage()));
        }
        if (tasks.find(key).isEmpty()) {
            return new Answer(404, Map.of("error", "no REACH task " + key + " on this node"));
        }
        KalturaUplink.Retry retry = uplink == null ? KalturaUplink.Retry.NO_PUSH : uplink.retry(key);
        return switch (retry) {
            case RESTARTED -> new Answer(202, Map.of("region", region, "id", id, "delivery", "restarted",
                    "caption_url", uplink.pusher(key).map(ReachTaskBoard::delivery).orElse(Map.of())));
            case DELIVERED -> new Answer(409, Map.of("error", "task " + key
                    + ": its captions were delivered (eos confirmed); nothing to retry"));
            case NO_PUSH -> new Answer(409, Map.of("error", "task " + key
                    + " has no captionUrl push to retry (not PROCESSING, or its push already closed)"));
        };
    }

    private static boolean isState(String name) {
        for (var s : io.livecap.lifecycle.LiveTaskState.values()) {
            if (s.name().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /** What the lifecycle does next with the task, and when. */
    private static Map<String, Object> next(LiveTask task) {
        return switch (task.state()) {
            case PENDING, SCHEDULED, OPEN -> Map.of("step", "open the caption session, PROCESSING",
                    "at", task.captionsFrom().toString());
            case PROCESSING -> Map.of("step", "cut captions off, DELIVERING", "at", task.cutoffAt().toString());
            case DELIVERING -> Map.of("step", "deliver the transcript as a caption asset, READY", "at",
                    task.cutoffAt().toString());
            default -> Map.of("step", "none (" + task.state().name().toLowerCase() + ")", "at", "");
        };
    }
}
