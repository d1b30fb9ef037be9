package io.livecap.lifecycle;

import io.livecap.captions.Dictionary;
import io.livecap.delivery.CaptionHub;
import io.livecap.ingest.MediaKeyPlacement;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullState;
import io.livecap.ingest.PullStatus;
import io.livecap.reach.CaptionAsset;
import io.livecap.reach.EntryVendorTask;
import io.livecap.reach.ExpiredAccessKeyException;
import io.livecap.reach.LiveCaptionFeature;
import io.livecap.reach.NewCaptionAsset;
import io.livecap.reach.ReachApiException;
import io.livecap.reach.ReachClient;
import io.livecap.reach.ReachException;
import io.livecap.reach.ReachUnavailableException;
import io.livecap.reach.ScheduleEvent;
import io.livecap.reach.TaskAccess;
import io.livecap.reach.TaskKey;
import io.livecap.reach.TaskNotFoundException;
import io.livecap.reach.TaskStatus;
import io.livecap.reach.TaskUpdate;
import io.livecap.session.Sessions;
import io.livecap.session.StreamSession;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Carries out what {@link LiveTaskStateMachine} decides for one task: REACH calls through the task's region's
 * {@link ReachClient}, the caption session through {@link Sessions}, captions to Kaltura through a
 * {@link CaptionUplink}. Every step that succeeds is saved before the next is taken, so a restart resumes the task
 * where it was; a step that fails for want of the API (timeouts, 5xx) changes nothing and is tried again next tick.
 * Never called concurrently for the same task ({@link Lifecycle} sees to that).
 */
public final class LiveTaskRunner {

    private static final Logger log = LoggerFactory.getLogger(LiveTaskRunner.class);

    private final Map<String, ReachClient> clients;
    private final LiveTaskRepository tasks;
    private final Sessions sessions;
    private final CaptionHub hub;
    private final CaptionUplink uplink;
    private final TranscriptDelivery transcripts;
    private final LiveTaskStateMachine machine;
    private final Clock clock;
    private final Map<TaskKey, Instant> lastLookedAt = new ConcurrentHashMap<>();

    public LiveTaskRunner(Map<String, ReachClient> clients, LiveTaskRepository tasks, Sessions sessions,
                          CaptionHub hub, CaptionUplink uplink, TranscriptDelivery transcripts,
                          LiveTaskStateMachine machine, Clock clock) {
        this.clients = Map.copyOf(clients);
        this.tasks = tasks;
        this.sessions = sessions;
        this.hub = hub;
        this.uplink = uplink;
        this.transcripts = transcripts;
        this.machine = machine;
        this.clock = clock;
    }

    /** Takes the task's next step, if one is due. */
    public void advance(TaskKey key) {
        LiveTask task = tasks.find(key).orElse(null);
        if (task == null || task.state().isFinal()) {
            return;
        }
        ReachClient client = clients.get(key.region());
        if (client == null) {
            log.error("{}: no REACH endpoint configured for region {}", task, key.region());
            return;
        }
        Instant now = clock.instant();
        try {
            alert(task, now);
            task = tasks.find(key).orElseThrow();
            if (task.state().hasSession()) {
                ensureSession(client, task);
            }
            LiveTaskStateMachine.Step step = machine.next(task, now, lastLookedAt.get(key));
            if (step != LiveTaskStateMachine.Step.NONE) {
                take(step, client, task, now);
            }
        } catch (ReachUnavailableException e) {
            log.warn("{}: REACH unavailable, will retry: {}", task, e.getMessage());
        } catch (ReachException e) {
            log.error("{}: REACH refused a step: {}", task, e.getMessage());
            fail(client, task, "REACH refused a step: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: step failed", task, e);
            fail(client, task, "livecap failed: " + e.getMessage());
        }
    }

    private void take(LiveTaskStateMachine.Step step, ReachClient client, LiveTask task, Instant now)
            throws ReachException {
        switch (step) {
            case SCHEDULE -> {
                update(client, task, TaskUpdate.to(TaskStatus.SCHEDULED));
                transition(task, task.withState(LiveTaskState.SCHEDULED), "REACH status SCHEDULED");
            }
            case REFUND_CHECK -> {
                if (!cancelled(client, task, "refund deadline check")) {
                    tasks.save(task.withRefundChecked());
                    tasks.audit(task.key(), "checked", "still ordered at the refund deadline " + task.refundDeadline());
                }
            }
            case OPEN_SESSION -> {
                if (!cancelled(client, task, "check before opening the session")) {
                    openSession(client, task);
                    transition(task, task.withState(LiveTaskState.OPEN), "session opened, captions flowing");
                }
            }
            case START_PROCESSING -> {
                if (!cancelled(client, task, "check before going live")) {
                    update(client, task, TaskUpdate.to(TaskStatus.PROCESSING));
                    transition(task, task.withState(LiveTaskState.PROCESSING), "REACH status PROCESSING");
                }
            }
            case KEEP_ALIVE -> {
                keepAlive(client, task);
                lastLookedAt.put(task.key(), now);
            }
            case CUT_OFF -> {
                cutOff(task);
                transition(task, task.withState(LiveTaskState.DELIVERING), "captions cut off at " + task.cutoffAt());
            }
            case DELIVER -> deliver(client, task);
            case MISSED -> fail(client, task, "the ordered slot (" + task.openAt() + " - " + task.cutoffAt()
                    + ") passed before livecap could caption it");
            case NONE -> {
            }
        }
    }

    /** Is the task cancelled? If so it is dropped, with an audit record, and never processed. */
    private boolean cancelled(ReachClient client, LiveTask task, String check) throws ReachException {
        boolean gone;
        String how;
        try {
            EntryVendorTask current = client.get(access(task));
            gone = current.status() != TaskStatus.SCHEDULED && current.status() != TaskStatus.PENDING
                    && current.status() != TaskStatus.PROCESSING;
            how = "status " + current.status();
        } catch (TaskNotFoundException e) {
            gone = true;
            how = "ENTRY_VENDOR_TASK_NOT_FOUND";
        } catch (ExpiredAccessKeyException e) {
            // before PROCESSING the access key cannot be extended: ask the vendor's list instead
            gone = client.getJobs(TaskStatus.SCHEDULED).stream().noneMatch(t -> t.key().equals(task.key()));
            how = gone ? "no longer listed as SCHEDULED" : "still listed as SCHEDULED";
        }
        if (gone) {
            stopSession(task, "task cancelled");
            Metrics.counter("livecap.reach.tasks.cancelled", "region", task.key().region()).increment();
            transition(task, task.withState(LiveTaskState.CANCELLED), "cancelled (" + check + ": " + how + ")");
            log.warn("{}: cancelled by the customer ({}: {}); not captioned", task, check, how);
        }
        return gone;
    }

    private void openSession(ReachClient client, LiveTask task) throws ReachException {
        ScheduleEvent event = withKey(client, task, t -> client.getScheduleEvent(access(t), t.scheduledEventId()));
        LiveCaptionFeature feature = event.captionFeature(task.language()).orElseThrow(() -> new IllegalStateException(
                "scheduled event " + event.id() + " has no live caption feature for " + task.language()));
        if (feature.mediaUrl() == null || feature.captionUrl() == null) {
            throw new IllegalStateException("scheduled event " + event.id() + " has no mediaUrl or captionUrl");
        }
        PullSource source = PullSource.of(feature.mediaUrl().toString(),
                feature.mediaKey() == null ? null : feature.mediaKey().reveal());
        if (source.kind() == PullSource.Kind.WEBSOCKET) {
            source = source.withKeyPlacement(MediaKeyPlacement.BEARER_HEADER);
        }
        Dictionary dictionary = Dictionary.parse(task.dictionary());
        TaskKey key = task.key();
        sessions.openPull(task.streamId(), source, task.language(), null, dictionary.terms(), dictionary::correct,
                (id, status) -> auditPull(key, status));
        uplink.open(task, hub.feed(task.streamId()), feature.captionUrl(), feature.captionToken(), task.cutoffAt());
    }

    /** After a restart the task's session and uplink are gone: open them again (the seq continues from the store). */
    private void ensureSession(ReachClient client, LiveTask task) throws ReachException {
        if (sessions.get(task.streamId()).isEmpty()) {
            log.info("{}: resuming its caption session", task);
            tasks.audit(task.key(), "resumed", "session reopened after a restart");
            openSession(client, task);
        }
    }

    private void keepAlive(ReachClient client, LiveTask task) throws ReachException {
        try {
            EntryVendorTask current = client.get(access(task));
            if (current.status() != TaskStatus.PROCESSING) {
                log.warn("{}: REACH says {} while captioning", task, current.status());
            }
        } catch (ExpiredAccessKeyException e) {
            extend(client, task);
        } catch (TaskNotFoundException e) {
            log.error("{}: the task vanished from REACH while PROCESSING; captioning on until the cut-off", task);
            tasks.audit(task.key(), "vanished", "get answered ENTRY_VENDOR_TASK_NOT_FOUND while PROCESSING");
        }
    }

    private LiveTask extend(ReachClient client, LiveTask task) throws ReachException {
        EntryVendorTask extended = client.extendAccessKey(task.key().id());
        LiveTask renewed = task.withAccessKey(extended.accessKey() != null ? extended.accessKey() : task.accessKey());
        tasks.save(renewed);
        tasks.audit(task.key(), "key_extended", "access key extended while PROCESSING");
        Metrics.counter("livecap.reach.access_key.extended", "region", task.key().region()).increment();
        log.info("{}: access key expired; extended", task);
        return renewed;
    }

    private void cutOff(LiveTask task) {
        stopSession(task, "end of the ordered slot");
        Optional<StreamSession> session = sessions.get(task.streamId());
        if (session.isPresent()) {
            try {
                session.get().join(30_000); // the last finals are stored before the transcript is built
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        uplink.close(task);
    }

    private void deliver(ReachClient client, LiveTask task) throws ReachException {
        TranscriptDelivery.Transcript transcript = transcripts.build(task);
        LiveTask current = task;
        if (current.captionAssetId() == null) {
            CaptionAsset asset = withKey(client, current, t -> client.addCaptionAsset(access(t), t.entryId(),
                    new NewCaptionAsset(t.outputFormat(), transcript.languageName(), "livecap (machine)",
                            transcript.accuracy())));
            current = tasks.find(task.key()).orElseThrow().withCaptionAsset(asset.id(), transcript.accuracy());
            tasks.save(current);
            tasks.audit(task.key(), "asset_added", "caption asset " + asset.id());
        }
        String assetId = current.captionAssetId();
        withKey(client, current, t -> client.setCaptionContent(access(t), assetId, transcript.content()));
        update(client, current, TaskUpdate.to(TaskStatus.READY).accuracy(transcript.accuracy())
                .outputObjectId(assetId));
        transition(current, tasks.find(task.key()).orElseThrow().withState(LiveTaskState.READY),
                "READY: " + transcript.captionCount() + " captions as " + task.outputFormat() + ", accuracy "
                        + transcript.accuracy() + ", asset " + assetId);
    }

    /** The media pull's states reach the audit trail (one record per change, not per retry); failed is an alert. */
    private void auditPull(TaskKey key, PullStatus status) {
        if (status.state() == PullState.RETRYING && status.attempts() > 1) {
            return;
        }
        tasks.audit(key, "media_" + status.state().wireName(), status.toString());
        if (status.state() == PullState.FAILED) {
            Metrics.counter("livecap.reach.alerts", "kind", "media_failed").increment();
            log.error("ALERT task {}: media pull failed: {}", key, status.lastError());
        }
    }

    private void alert(LiveTask task, Instant now) {
        machine.alertDue(task, now).ifPresent(kind -> {
            Metrics.counter("livecap.reach.alerts", "kind", kind).increment();
            String message = kind.equals(LiveTaskStateMachine.STUCK)
                    ? "stuck: not READY by the expected finish " + machine.expectedFinish(task) + " (state "
                    + task.state() + ")"
                    : "half of the expected time has passed (expected READY by " + machine.expectedFinish(task)
                    + ", state " + task.state() + ")";
            if (kind.equals(LiveTaskStateMachine.STUCK)) {
                log.error("ALERT {}: {}", task, message);
            } else {
                log.warn("ALERT {}: {}", task, message);
            }
            tasks.audit(task.key(), "alert_" + kind, message);
            tasks.save(task.withAlert(kind));
        });
    }

    private void fail(ReachClient client, LiveTask task, String reason) {
        stopSession(task, "task failed");
        uplink.close(task);
        LiveTask failed = tasks.find(task.key()).orElse(task).withError(reason);
        tasks.save(failed);
        tasks.audit(task.key(), "error", reason);
        Metrics.counter("livecap.reach.tasks.failed", "region", task.key().region()).increment();
        if (client != null) {
            try {
                client.updateJob(task.key().id(), TaskUpdate.to(TaskStatus.ERROR).errDescription(reason));
            } catch (ReachException e) {
                log.error("{}: could not report ERROR to REACH: {}", task, e.getMessage());
            }
        }
    }

    private void stopSession(LiveTask task, String reason) {
        if (!sessions.stopPull(task.streamId(), reason)) {
            sessions.get(task.streamId()).ifPresent(s -> s.end(reason));
        }
    }

    private void update(ReachClient client, LiveTask task, TaskUpdate update) throws ReachException {
        client.updateJob(task.key().id(), update);
    }

    private void transition(LiveTask before, LiveTask after, String detail) {
        tasks.save(after);
        tasks.audit(after.key(), after.state().name().toLowerCase(), detail);
        Metrics.counter("livecap.reach.transitions", "to", after.state().name()).increment();
        log.info("{}: {} -> {} ({})", after, before.state(), after.state(), detail);
    }

    private interface KeyedCall<T> {
        T call(LiveTask task) throws ReachException;
    }

    /** A call with the task's access key; an expired key is extended (PROCESSING only) and the call tried again. */
    private <T> T withKey(ReachClient client, LiveTask task, KeyedCall<T> call) throws ReachException {
        try {
            return call.call(task);
        } catch (ExpiredAccessKeyException e) {
            if (task.state() != LiveTaskState.PROCESSING && task.state() != LiveTaskState.DELIVERING) {
                throw e;
            }
            return call.call(extend(client, task));
        }
    }

    private static TaskAccess access(LiveTask task) {
        if (task.accessKey() == null) {
            throw new IllegalStateException(task + " has no access key");
        }
        return new TaskAccess(task.key().id(), task.accessKey());
    }
}
