package io.livecap.lifecycle;

import io.livecap.captions.Dictionary;
import io.livecap.delivery.CaptionHub;
import io.livecap.delivery.StoreException;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.MediaKeyPlacement;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullState;
import io.livecap.ingest.PullStatus;
import io.livecap.reach.CaptionAsset;
import io.livecap.reach.EntryVendorTask;
import io.livecap.reach.ExpiredAccessKeyException;
import io.livecap.reach.FailedExtendAccessKeyException;
import io.livecap.reach.LiveCaptionFeature;
import io.livecap.reach.NewCaptionAsset;
import io.livecap.reach.ReachApiException;
import io.livecap.reach.ReachClient;
import io.livecap.reach.ReachException;
import io.livecap.reach.ReachUnavailableException;
import io.livecap.reach.ScheduleEvent;
import io.livecap.reach.TaskAccess;
import io.livecap.reach.CatalogItem;
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
import java.time.Duration;
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
    /** FAILED_EXTEND_ACCESS_KEY this many times in a row ends the task in ERROR. */
    static final int MAX_FAILED_EXTENSIONS = 3;

    private final Map<String, ReachClient> clients;
    private final LiveTaskRepository tasks;
    private final Sessions sessions;
    private final CaptionHub hub;
    private final CaptionUplink uplink;
    private final LiveTaskStateMachine machine;
    private final CaptionAssetDelivery assets;
    private final Clock clock;
    private final Map<TaskKey, Instant> lastLookedAt = new ConcurrentHashMap<>();
    private final Map<TaskKey, Integer> failedExtensions = new ConcurrentHashMap<>();
    /**
     * Transitions taken (their REACH call made, their work done) whose save did not reach the store (it was away):
     * saved before anything else at the task's next step, so a transition is neither lost nor taken twice (its
     * updateJob is not repeated).
     */
    private final Map<TaskKey, Pending> unsaved = new ConcurrentHashMap<>();

    /** A transition to save: the task in its new state, its audit record. */
    private record Pending(LiveTask after, String kind, String detail) {
    }

    public LiveTaskRunner(Map<String, ReachClient> clients, LiveTaskRepository tasks, Sessions sessions,
                          CaptionHub hub, CaptionUplink uplink, TranscriptDelivery transcripts,
                          LiveTaskStateMachine machine, Duration assetReadyWithin, Clock clock) {
        this.clients = Map.copyOf(clients);
        this.tasks = tasks;
        this.sessions = sessions;
        this.hub = hub;
        this.uplink = uplink;
        this.machine = machine;
        this.assets = new CaptionAssetDelivery(tasks, transcripts, clock, assetReadyWithin, Duration.ofMillis(500),
                Duration.ofSeconds(10));
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
            if (!saveUnsaved(key)) {
                return;
            }
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
        } catch (StoreException e) {
            // the store is away (a PostgreSQL restart): nothing is wrong with the task, and its session and push go
            // on meanwhile; the step is taken again once the store answers
            log.warn("{}: the store is not answering, will retry: {}", task, e.getMessage());
        } catch (IngestError e) {
            if (!Sessions.STREAM_BUSY.equals(e.code())) {
                log.error("{}: step failed", task, e);
                fail(client, task, "livecap failed: " + e.getMessage());
                return;
            }
            // the stream's lease is still the previous owner's (it expires with the task's): try again next tick
            log.info("{}: waiting for its stream: {}", task, e.getMessage());
        } catch (ReachException e) {
            log.error("{}: REACH refused a step: {}", task, e.getMessage());
            fail(client, task, "REACH refused a step: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("{}: step failed", task, e);
            fail(client, task, "livecap failed: " + e.getMessage());
        }
    }

    /**
     * This node no longer owns the task (its lease was lost): stop captioning it here without ending its event or
     * changing its state, so the node that holds the lease now resumes it where it was.
     */
    public void abandon(TaskKey key) {
        tasks.find(key).ifPresent(task -> {
            log.warn("{}: its lease was lost; captioning stops on this node, the new owner resumes it", task);
            sessions.stopPullKeepingEvent(task.streamId(), "lease lost");
            // no eos and no waiting: the stream goes on at the new owner, which may be connecting already
            uplink.handOver(task, Duration.ZERO);
            lastLookedAt.remove(key);
        });
    }

    /**
     * This node is draining: the task goes to another node, which resumes it where it was. Its pull stops without
     * ending the event, its last finals are recognised and stored, Kaltura is given up to {@code grace} to confirm
     * them, and the captionUrl is let go without eos. The caller releases the task's lease afterwards (the stream's
     * goes with its session).
     */
    public void handOver(TaskKey key, Duration grace) {
        LiveTask task = tasks.find(key).orElse(null);
        if (task == null || task.state().isFinal()) {
            return;
        }
        if (task.state().hasSession()) {
            sessions.stopPullKeepingEvent(task.streamId(), "node draining");
            Optional<StreamSession> session = sessions.get(task.streamId());
            if (session.isPresent()) {
                session.get().end("node draining");
                try {
                    session.get().join(grace.toMillis()); // its last finals are stored and in the feed
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        uplink.handOver(task, grace);
        tasks.audit(key, "handed_over", "node draining; another node resumes the task");
        lastLookedAt.remove(key);
        log.info("{}: handed over (this node is draining)", task);
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
            case START_PROCESSING -> {
                if (!cancelled(client, task, "check before going live")) {
                    update(client, task, TaskUpdate.to(TaskStatus.PROCESSING));
                    LiveTask processing = task.withState(LiveTaskState.PROCESSING);
                    transition(task, processing, "REACH status PROCESSING; captions until " + task.cutoffAt());
                    // PROCESSING first, then the session: no caption reaches Kaltura while the task is SCHEDULED
                    if (sessions.get(task.streamId()).isEmpty()) {
                        openSession(client, processing);
                        tasks.audit(task.key(), "session", "session opened, captions flowing");
                    }
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
            case MISSED -> fail(client, task, "the ordered slot (" + task.slot()
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
        // the catalog item as it is now (also after a restart): enableSpeakerId marks speaker changes (>> )
        CatalogItem item = client.getCatalogItem(task.catalogItemId());
        sessions.markSpeakerChanges(task.streamId(), Boolean.TRUE.equals(item.enableSpeakerId()));
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
            // an answer, not an outage: nobody is left to caption for or to deliver to (and the partner closes the
            // task's sockets), so captioning stops and the task ends here, unreported: updateJob would not find it
            tasks.audit(task.key(), "vanished", "get answered ENTRY_VENDOR_TASK_NOT_FOUND while PROCESSING");
            fail(null, task, "the task vanished from REACH (ENTRY_VENDOR_TASK_NOT_FOUND) while PROCESSING;"
                    + " captions stopped, no caption asset was added");
        }
    }

    private LiveTask extend(ReachClient client, LiveTask task) throws ReachException {
        EntryVendorTask extended;
        try {
            extended = client.extendAccessKey(task.key().id());
            failedExtensions.remove(task.key());
        } catch (FailedExtendAccessKeyException e) {
            // Kaltura's own failure to make a key, not a refusal: worth a few tries before the task gives up
            int failures = failedExtensions.merge(task.key(), 1, Integer::sum);
            tasks.audit(task.key(), "key_extension_failed", "extendAccessKey failed (" + failures + " of "
                    + MAX_FAILED_EXTENSIONS + "): " + e.code());
            if (failures >= MAX_FAILED_EXTENSIONS) {
                failedExtensions.remove(task.key());
                throw new ReachApiException(e.code(), "the access key expired and Kaltura failed to extend it "
                        + failures + " times in a row (" + e.serverMessage() + ")");
            }
            log.warn("{}: the access key expired and extending it failed ({} of {}); trying again later", task,
                    failures, MAX_FAILED_EXTENSIONS);
            throw new ReachUnavailableException(e.getMessage(), task.key().region(), task.key().id(), e);
        }
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
        if (task.captionAssetId() == null && task.delivery().pendingAdd() == null) {
            try {
                withKey(client, task, t -> client.get(access(t)));
            } catch (TaskNotFoundException e) {
                // nothing to report it to: updateJob would answer ENTRY_VENDOR_TASK_NOT_FOUND too
                fail(null, task, "the task vanished from REACH (ENTRY_VENDOR_TASK_NOT_FOUND) while PROCESSING;"
                        + " its captions went out live until the cut-off, no caption asset was added");
                return;
            }
        }
        CaptionAssetDelivery.AssetCalls calls = new CaptionAssetDelivery.AssetCalls() {
            @Override
            public CaptionAsset add(LiveTask t, NewCaptionAsset asset, String marker) throws ReachException {
                return withKey(client, t, k -> client.addCaptionAsset(access(k), k.entryId(), asset, marker));
            }

            @Override
            public CaptionAsset setContent(LiveTask t, String assetId, String content) throws ReachException {
                return withKey(client, t, k -> client.setCaptionContent(access(k), assetId, content));
            }

            @Override
            public CaptionAsset get(LiveTask t, String assetId) throws ReachException {
                return withKey(client, t, k -> client.getCaptionAsset(access(k), assetId));
            }
        };
        CaptionAssetDelivery.Outcome outcome = assets.step(task, calls);
        LiveTask current = tasks.find(task.key()).orElseThrow();
        if (outcome instanceof CaptionAssetDelivery.Outcome.Ready ready) {
            update(client, current, TaskUpdate.to(TaskStatus.READY).accuracy(ready.accuracy())
                    .outputObjectId(ready.assetId()));
            transition(current, current.withState(LiveTaskState.READY), "READY: " + ready.captionCount()
                    + " captions as " + task.outputFormat() + ", accuracy " + ready.accuracy() + ", asset "
                    + ready.assetId() + " (status READY)");
        } else if (outcome instanceof CaptionAssetDelivery.Outcome.Failed failed) {
            raise(current, TaskAlert.ASSET, failed.errDescription());
            fail(client, current, failed.errDescription());
        }
    }

    /** An alert: an ERROR log line, a metric, an audit record. */
    private void raise(LiveTask task, TaskAlert kind, String message) {
        Metrics.counter("livecap.reach.alerts", "kind", kind.wireName()).increment();
        log.error("ALERT {}: {}", task, message);
        tasks.audit(task.key(), "alert_" + kind.wireName(), message);
    }

    /** The media pull's states reach the audit trail (one record per change, not per retry); failed is an alert. */
    private void auditPull(TaskKey key, PullStatus status) {
        if (status.state() == PullState.RETRYING && status.attempts() > 1) {
            return;
        }
        tasks.audit(key, "media_" + status.state().wireName(), status.toString());
        if (status.state() == PullState.FAILED) {
            Metrics.counter("livecap.reach.alerts", "kind", TaskAlert.MEDIA_FAILED.wireName()).increment();
            log.error("ALERT task {}: media pull failed: {}", key, status.lastError());
        }
    }

    private void alert(LiveTask task, Instant now) {
        machine.alertDue(task, now).ifPresent(kind -> {
            Metrics.counter("livecap.reach.alerts", "kind", kind.wireName()).increment();
            String message = kind == TaskAlert.STUCK
                    ? "stuck: not READY by the expected finish " + machine.expectedFinish(task) + " (state "
                    + task.state() + ")"
                    : "half of the expected time has passed (expected READY by " + machine.expectedFinish(task)
                    + ", state " + task.state() + ")";
            if (kind == TaskAlert.STUCK) {
                log.error("ALERT {}: {}", task, message);
            } else {
                log.warn("ALERT {}: {}", task, message);
            }
            tasks.audit(task.key(), "alert_" + kind.wireName(), message);
            tasks.save(task.withAlert(kind));
        });
    }

    private void fail(ReachClient client, LiveTask task, String reason) {
        assets.forget(task);
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
        sessions.markSpeakerChanges(task.streamId(), false);
        if (!sessions.stopPull(task.streamId(), reason)) {
            sessions.get(task.streamId()).ifPresent(s -> s.end(reason));
        }
    }

    private void update(ReachClient client, LiveTask task, TaskUpdate update) throws ReachException {
        client.updateJob(task.key().id(), update);
    }

    private void transition(LiveTask before, LiveTask after, String detail) {
        Pending pending = new Pending(after, after.state().name().toLowerCase(), detail);
        unsaved.put(after.key(), pending);
        save(pending); // a StoreException leaves it unsaved, for the next step to save first
        Metrics.counter("livecap.reach.transitions", "to", after.state().name()).increment();
        log.info("{}: {} -> {} ({})", after, before.state(), after.state(), detail);
    }

    /** Saves the task's unsaved transition, if any; false if the store is still away (nothing else is done then). */
    private boolean saveUnsaved(TaskKey key) {
        Pending pending = unsaved.get(key);
        if (pending == null) {
            return true;
        }
        try {
            save(pending);
            log.info("{}: its {} transition, taken while the store was away, is saved now", pending.after(),
                    pending.after().state());
            return true;
        } catch (StoreException e) {
            log.warn("{}: the store is not answering; its {} transition is kept until it does: {}", pending.after(),
                    pending.after().state(), e.getMessage());
            return false;
        }
    }

    /** The save, then the audit record; each done once (a retry after a saved state audits only). */
    private void save(Pending pending) {
        TaskKey key = pending.after().key();
        boolean saved = tasks.find(key).map(t -> t.state() == pending.after().state()).orElse(false);
        if (!saved) {
            tasks.save(pending.after());
        }
        tasks.audit(key, pending.kind(), pending.detail());
        unsaved.remove(key, pending);
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
