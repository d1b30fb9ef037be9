package io.livecap.lifecycle;

import io.livecap.reach.OutputFormat;
import io.livecap.reach.Secret;
import io.livecap.reach.TaskKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * One REACH Live task as livecap drives it, persisted after every step. Times come from the task's
 * {@code taskJobData} and its catalog item.
 *
 * @param refundWindow {@code minimalRefundTime}: the customer may cancel until this long before the start
 * @param startBuffer  {@code startTimeBuffer}: the session opens this long before the start
 * @param endBuffer    {@code endTimeBuffer}: captions run this long past the end, then stop
 * @param language     the order's source language (a media language of "Undefined" never matters)
 * @param alerts       the turn-around alerts already raised ("half", "stuck")
 */
public record LiveTask(TaskKey key, String entryId, long partnerId, long catalogItemId, long scheduledEventId,
                       Instant startDate, Instant endDate, Duration refundWindow, Duration startBuffer,
                       Duration endBuffer, OutputFormat outputFormat, String language, String dictionary,
                       Secret accessKey, LiveTaskState state, boolean refundChecked, String captionAssetId,
                       Integer accuracy, String error, Set<String> alerts) {

    public LiveTask {
        alerts = Set.copyOf(alerts);
    }

    /** The cancellation check: when the customer's refund window closes. */
    public Instant refundDeadline() {
        return startDate.minus(refundWindow);
    }

    public Instant openAt() {
        return startDate.minus(startBuffer);
    }

    /** The end of the ordered slot: no caption past it. */
    public Instant cutoffAt() {
        return endDate.plus(endBuffer);
    }

    /** The caption stream this task's session uses; stable across restarts. */
    public String streamId() {
        return "reach-" + key.region() + "-" + key.id();
    }

    public LiveTask withState(LiveTaskState next) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, next,
                refundChecked, captionAssetId, accuracy, error, alerts);
    }

    public LiveTask withRefundChecked() {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state, true,
                captionAssetId, accuracy, error, alerts);
    }

    public LiveTask withAccessKey(Secret key) {
        return new LiveTask(this.key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, key, state, refundChecked,
                captionAssetId, accuracy, error, alerts);
    }

    public LiveTask withCaptionAsset(String assetId, int accuracyPercent) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, assetId, accuracyPercent, error, alerts);
    }

    public LiveTask withError(String message) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey,
                LiveTaskState.ERROR, refundChecked, captionAssetId, accuracy, message, alerts);
    }

    public LiveTask withAlert(String alert) {
        java.util.Set<String> more = new java.util.HashSet<>(alerts);
        more.add(alert);
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, captionAssetId, accuracy, error, more);
    }

    @Override
    public String toString() {
        return "live task " + key + " (" + state + ", event " + scheduledEventId + ", " + startDate + " - "
                + endDate + ")";
    }
}
