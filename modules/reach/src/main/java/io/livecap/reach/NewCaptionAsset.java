package io.livecap.reach;

import java.util.Objects;

/**
 * What the vendor says about a caption asset it adds: the file format, the language (a Kaltura language name such
 * as {@code English}), a label for the player, and the accuracy (0-100) it claims.
 */
public record NewCaptionAsset(OutputFormat format, String language, String label, Integer accuracy) {

    public NewCaptionAsset {
        Objects.requireNonNull(format, "format");
        if (accuracy != null && (accuracy < 0 || accuracy > 100)) {
            throw new IllegalArgumentException("accuracy must be 0-100, got " + accuracy);
        }
    }
}
