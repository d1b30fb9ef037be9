package io.livecap.reach;

import java.time.Duration;

/**
 * A vendor catalog item ({@code KalturaVendorCatalogItem} and its kinds, e.g.
 * {@code KalturaVendorLiveCaptionCatalogItem}). Live fields are {@code null} on other kinds.
 * Units as Kaltura's server uses them: {@code minimalRefundTime} and the time buffers are seconds,
 * {@code minimalOrderTime} and {@code durationLimit} minutes; here they are all {@link Duration}s.
 *
 * @param objectType     the Kaltura class, e.g. {@code KalturaVendorLiveCaptionCatalogItem}
 * @param sourceLanguage a Kaltura language name, e.g. {@code English}
 */
public record CatalogItem(
        long id,
        String objectType,
        String name,
        String systemName,
        ServiceType serviceType,
        ServiceFeature serviceFeature,
        Integer turnAroundTime,
        String sourceLanguage,
        OutputFormat outputFormat,
        Boolean enableSpeakerId,
        boolean allowResubmission,
        Duration minimalRefundTime,
        Duration minimalOrderTime,
        Duration durationLimit,
        Duration startTimeBuffer,
        Duration endTimeBuffer) {
}
