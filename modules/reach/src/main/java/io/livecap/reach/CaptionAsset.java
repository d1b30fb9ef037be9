package io.livecap.reach;

import java.time.Instant;

/**
 * A caption asset on an entry ({@code KalturaCaptionAsset}): how a task's final transcript is delivered.
 *
 * @param format   {@code null} for caption types that are not a REACH output format (CAP, SCC)
 * @param status   Kaltura's asset status: -1 error, 0 queued, 2 ready, 3 deleted
 * @param language a Kaltura language name, e.g. {@code English}
 */
public record CaptionAsset(
        String id,
        String entryId,
        long partnerId,
        OutputFormat format,
        int status,
        String language,
        String label,
        Integer accuracy,
        Boolean isDefault,
        String fileExt,
        Long size,
        String partnerData,
        Instant createdAt,
        Instant updatedAt) {

    public static final int STATUS_ERROR = -1;
    public static final int STATUS_QUEUED = 0;
    public static final int STATUS_READY = 2;

    public boolean isReady() {
        return status == STATUS_READY;
    }
}
