package io.livecap.lifecycle;

import java.time.Instant;

/**
 * How far a task's caption asset has got, kept durably because an uncertain {@code caption_captionasset.add}
 * cannot be looked up afterwards (Kaltura forbids listing caption assets).
 *
 * @param pendingAdd   the marker (in the asset's {@code partnerData}) of an add whose answer has not been recorded:
 *                     set before the call, cleared once its asset id is stored. Still set after a lost answer or a
 *                     crash mid-call: that add's outcome is unknown
 * @param contentSetAt when {@code setContent} succeeded; the wait for the asset to be READY counts from here
 */
public record AssetDelivery(String pendingAdd, Instant contentSetAt) {

    public static final AssetDelivery NONE = new AssetDelivery(null, null);

    public AssetDelivery withPendingAdd(String marker) {
        return new AssetDelivery(marker, contentSetAt);
    }

    public AssetDelivery withContentSetAt(Instant at) {
        return new AssetDelivery(pendingAdd, at);
    }
}
