package io.livecap.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * What happens to a caption asset after {@code setContent}: like Kaltura's conversion, it stays QUEUED (0) for
 * {@code queued}, then becomes READY (2), or ERROR (-1) when {@code fails}.
 */
public record AssetProcessing(Duration queued, boolean fails) {

    /** READY at once. */
    public static final AssetProcessing IMMEDIATE = new AssetProcessing(Duration.ZERO, false);

    public AssetProcessing {
        Objects.requireNonNull(queued, "queued");
        if (queued.isNegative()) {
            throw new IllegalArgumentException("queued must not be negative");
        }
    }

    public static AssetProcessing queuedFor(Duration queued) {
        return new AssetProcessing(queued, false);
    }

    public static AssetProcessing failingAfter(Duration queued) {
        return new AssetProcessing(queued, true);
    }
}
