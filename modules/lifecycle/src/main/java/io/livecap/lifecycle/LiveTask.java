package io.livecap.lifecycle;

import io.livecap.reach.OrderedSlot;
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
 * @param startBuffer  {@code startTimeBuffer}: already inside {@code startDate} (Kaltura widens the slot by it)
 * @param endBuffer    {@code endTimeBuffer}: already inside {@code endDate}
 * @param language     the order's source language (a media language of "Undefined" never matters)
 * @param alerts       the turn-around alerts already raised
 * @param delivery     how far the caption asset has got
 */
public record LiveTask(TaskKey key, String entryId, long partnerId, long catalogItemId, long scheduledEventId,
                       Instant startDate, Instant endDate, Duration refundWindow, Duration startBuffer,
                       Duration endBuffer, OutputFormat outputFormat, String language, String dictionary,
                       Secret accessKey, LiveTaskState state, boolean refundChecked, String captionAssetId,
                       Integer accuracy, String error, Set<TaskAlert> alerts, AssetDelivery delivery) {

    public LiveTask {
        alerts = Set.copyOf(alerts);
        delivery = delivery == null ? AssetDelivery.NONE : delivery;
    }

    /** What the customer ordered: {@code startDate .. endDate}, buffers included (see {@link OrderedSlot}). */
    public OrderedSlot slot() {
        return new OrderedSlot(startDate, endDate, startBuffer, endBuffer);
    }

    /** The cancellation check: when the customer's refund window closes. */
    public Instant refundDeadline() {
        return slot().refundDeadline(refundWindow);
    }

    /** When captioning starts: the task turns PROCESSING and its session opens. */
    public Instant captionsFrom() {
        return slot().captionsFrom();
    }

    /** The end of the ordered slot: no caption of audio from here on. */
    public Instant cutoffAt() {
        return slot().captionsUntil();
    }

    /** The caption stream this task's session uses; stable across restarts. */
    public String streamId() {
        return "reach-" + key.region() + "-" + key.id();
    }

    public LiveTask withState(LiveTaskState next) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, next,
                refundChecked, captionAssetId, accuracy, error, alerts, delivery);
    }

    public LiveTask withRefundChecked() {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state, true,
                captionAssetId, accuracy, error, alerts, delivery);
    }

    public LiveTask withAccessKey(Secret key) {
        return new LiveTask(this.key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, key, state, refundChecked,
                captionAssetId, accuracy, error, alerts, delivery);
    }

    public LiveTask withCaptionAsset(String assetId, int accuracyPercent) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, assetId, accuracyPercent, error, alerts, delivery);
    }

    public LiveTask withError(String message) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey,
                LiveTaskState.ERROR, refundChecked, captionAssetId, accuracy, message, alerts, delivery);
    }

    public LiveTask withAlert(TaskAlert alert) {
        Set<TaskAlert> more = java.util.EnumSet.noneOf(TaskAlert.class);
        more.addAll(alerts);
        more.add(alert);
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, captionAssetId, accuracy, error, more, delivery);
    }

    public LiveTask withDelivery(AssetDelivery next) {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, captionAssetId, accuracy, error, alerts, next);
    }

    /** Forgets the asset (it vanished from the entry): the next delivery step adds a new one. */
    public LiveTask withoutCaptionAsset() {
        return new LiveTask(key, entryId, partnerId, catalogItemId, scheduledEventId, startDate, endDate,
                refundWindow, startBuffer, endBuffer, outputFormat, language, dictionary, accessKey, state,
                refundChecked, null, accuracy, error, alerts, AssetDelivery.NONE);
    }

    @Override
    public String toString() {
        return "live task " + key + " (" + state + ", event " + scheduledEventId + ", " + startDate + " - "
                + endDate + ")";
    }
}
