package io.livecap.lifecycle;

import io.livecap.reach.CaptionAsset;
import io.livecap.reach.NewCaptionAsset;
import io.livecap.reach.ReachApiException;
import io.livecap.reach.ReachException;
import io.livecap.reach.ReachUncertainException;
import io.livecap.reach.ReachUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Delivers a task's transcript as one caption asset, one step per tick, and says when the asset is READY.
 * <ol>
 * <li><b>Add.</b> The request's marker is saved before {@code caption_captionasset.add}, its asset id after. An add
 *     whose answer is lost (HTTP 5xx, timeout, crash mid-call) cannot be looked up: Kaltura forbids listing caption
 *     assets. So a marker still pending on the next step means "truly unknown": a new asset is added and the content
 *     goes to that one. The first may remain on the entry as an empty asset (no content, never named as the task's
 *     output) whose {@code partnerData} carries the recorded marker; the audit trail names it.</li>
 * <li><b>Content.</b> {@code setContent} is idempotent and retried; its success time is saved. An asset that has
 *     vanished meanwhile ({@code CAPTION_ASSET_ID_NOT_FOUND}) is forgotten and a new one added.</li>
 * <li><b>Verify.</b> As the FAQ advises, {@code caption_captionasset.get} until the asset's status is READY (2):
 *     checks back off from {@code firstCheck} doubling to {@code maxCheck}; ERROR (-1), or no READY within
 *     {@code readyWithin} of the content, fails the task with an errDescription that says which.</li>
 * </ol>
 */
final class CaptionAssetDelivery {

    private static final Logger log = LoggerFactory.getLogger(CaptionAssetDelivery.class);
    private static final String ASSET_NOT_FOUND = "CAPTION_ASSET_ID_NOT_FOUND";

    /** What a step came to. */
    sealed interface Outcome {
        /** Not finished: try again on a later tick. */
        record Waiting(String why) implements Outcome {
        }

        /** The asset is READY with the transcript in it. */
        record Ready(String assetId, Integer accuracy, int captionCount) implements Outcome {
        }

        /** The asset cannot become READY: the task must go to ERROR with this description. */
        record Failed(String errDescription) implements Outcome {
        }
    }

    /** The REACH calls this needs, made with the task's (extended if need be) access key. */
    interface AssetCalls {
        CaptionAsset add(LiveTask task, NewCaptionAsset asset, String marker) throws ReachException;

        CaptionAsset setContent(LiveTask task, String assetId, String content) throws ReachException;

        CaptionAsset get(LiveTask task, String assetId) throws ReachException;
    }

    private record Check(Instant next, Duration backoff) {
    }

    private final LiveTaskRepository tasks;
    private final TranscriptDelivery transcripts;
    private final Clock clock;
    private final Duration readyWithin;
    private final Duration firstCheck;
    private final Duration maxCheck;
    private final Map<io.livecap.reach.TaskKey, Check> checks = new ConcurrentHashMap<>();

    CaptionAssetDelivery(LiveTaskRepository tasks, TranscriptDelivery transcripts, Clock clock, Duration readyWithin,
                         Duration firstCheck, Duration maxCheck) {
        this.tasks = tasks;
        this.transcripts = transcripts;
        this.clock = clock;
        this.readyWithin = readyWithin;
        this.firstCheck = firstCheck;
        this.maxCheck = maxCheck;
    }

    Outcome step(LiveTask task, AssetCalls calls) throws ReachException {
        LiveTask current = task;
        if (current.captionAssetId() == null) {
            current = add(current, calls);
            if (current.captionAssetId() == null) {
                return new Outcome.Waiting("the add's outcome is unknown");
            }
        }
        if (current.delivery().contentSetAt() == null) {
            TranscriptDelivery.Transcript transcript = transcripts.build(current);
            try {
                calls.setContent(current, current.captionAssetId(), transcript.content());
            } catch (ReachApiException e) {
                if (!ASSET_NOT_FOUND.equals(e.code())) {
                    throw e;
                }
                tasks.audit(current.key(), "asset_vanished", "caption asset " + current.captionAssetId()
                        + " is gone from entry " + current.entryId() + "; adding another");
                log.warn("{}: caption asset {} vanished before its content was set; adding another", current,
                        current.captionAssetId());
                tasks.save(current.withoutCaptionAsset());
                return new Outcome.Waiting("the asset vanished");
            }
            Instant at = clock.instant();
            current = current.withDelivery(current.delivery().withContentSetAt(at));
            tasks.save(current);
            tasks.audit(current.key(), "content_set", transcript.captionCount() + " captions as "
                    + current.outputFormat() + " in caption asset " + current.captionAssetId());
            checks.put(current.key(), new Check(at, firstCheck));
        }
        return verify(current, calls);
    }

    /** Forgets the in-memory check schedule of a task that has left DELIVERING. */
    void forget(LiveTask task) {
        checks.remove(task.key());
    }

    private LiveTask add(LiveTask task, AssetCalls calls) throws ReachException {
        String earlier = task.delivery().pendingAdd();
        if (earlier != null) {
            // Kaltura cannot be asked which asset that add made (no listing): add anew; the content goes there
            tasks.audit(task.key(), "asset_unknown", "caption_captionasset.add marked " + earlier
                    + " has no known outcome; adding a new asset. An empty asset with partnerData " + earlier
                    + " may remain on entry " + task.entryId() + " (never filled, never the task's output)");
            log.warn("{}: the outcome of caption asset add {} is unknown (Kaltura forbids listing assets); adding"
                    + " a new one, an empty one may remain on entry {}", task, earlier, task.entryId());
        }
        TranscriptDelivery.Transcript transcript = transcripts.build(task);
        String marker = "livecap:" + task.key().region() + "/" + task.key().id() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
        LiveTask pending = task.withDelivery(AssetDelivery.NONE.withPendingAdd(marker));
        tasks.save(pending); // before the call: a crash mid-call still leaves the marker to be found
        CaptionAsset asset;
        try {
            asset = calls.add(pending, new NewCaptionAsset(task.outputFormat(), transcript.languageName(),
                    "livecap (machine)", transcript.accuracy()), marker);
        } catch (ReachUncertainException e) {
            tasks.audit(task.key(), "asset_uncertain", "caption_captionasset.add marked " + marker + ": "
                    + e.getMessage());
            return pending;
        } catch (ReachUnavailableException | ReachApiException e) {
            // never reached the server, or refused outright: nothing was made
            tasks.save(pending.withDelivery(AssetDelivery.NONE));
            throw e;
        }
        LiveTask added = pending.withCaptionAsset(asset.id(), transcript.accuracy()).withDelivery(AssetDelivery.NONE);
        tasks.save(added);
        tasks.audit(task.key(), "asset_added", "caption asset " + asset.id() + " (partnerData " + marker + ")");
        return added;
    }

    private Outcome verify(LiveTask task, AssetCalls calls) throws ReachException {
        Instant now = clock.instant();
        Check check = checks.computeIfAbsent(task.key(), k -> new Check(now, firstCheck));
        if (now.isBefore(check.next())) {
            return new Outcome.Waiting("next asset check at " + check.next());
        }
        CaptionAsset asset;
        try {
            asset = calls.get(task, task.captionAssetId());
        } catch (ReachApiException e) {
            if (!ASSET_NOT_FOUND.equals(e.code())) {
                throw e;
            }
            checks.remove(task.key());
            return new Outcome.Failed("caption asset " + task.captionAssetId() + " vanished from entry "
                    + task.entryId() + " after its content was set");
        }
        Duration waited = Duration.between(task.delivery().contentSetAt(), now);
        if (asset.isReady()) {
            checks.remove(task.key());
            log.info("{}: caption asset {} is READY {} ms after its content was set", task, asset.id(),
                    waited.toMillis());
            return new Outcome.Ready(asset.id(), task.accuracy(),
                    transcripts.build(task).captionCount());
        }
        if (asset.status() == CaptionAsset.STATUS_ERROR) {
            checks.remove(task.key());
            return new Outcome.Failed("caption asset " + asset.id() + " turned ERROR (-1) after its content was"
                    + " set: Kaltura could not process the " + task.outputFormat() + " file");
        }
        if (waited.compareTo(readyWithin) >= 0) {
            checks.remove(task.key());
            return new Outcome.Failed("caption asset " + asset.id() + " was still in status " + asset.status()
                    + " (" + statusName(asset.status()) + ") " + waited.toSeconds() + " s after its content was set,"
                    + " not READY (2) within " + readyWithin.toSeconds() + " s");
        }
        Duration wait = check.backoff();
        checks.put(task.key(), new Check(now.plus(wait), min(wait.multipliedBy(2), maxCheck)));
        log.debug("{}: caption asset {} is {} ({}), checking again in {} ms", task, asset.id(), asset.status(),
                statusName(asset.status()), wait.toMillis());
        return new Outcome.Waiting("caption asset " + asset.id() + " is " + statusName(asset.status()));
    }

    private static String statusName(int status) {
        return switch (status) {
            case -1 -> "ERROR";
            case 0 -> "QUEUED";
            case 1 -> "CONVERTING";
            case 2 -> "READY";
            case 3 -> "DELETED";
            case 7 -> "IMPORTING";
            default -> "status " + status;
        };
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
