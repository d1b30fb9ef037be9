package io.livecap.reach;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The caption part of a live event ({@code KalturaLiveCaptionFeature}): where the vendor reads the live audio
 * ({@code mediaUrl}, authenticated with {@code mediaKey}) and where it pushes captions ({@code captionUrl},
 * authenticated with {@code captionToken}).
 *
 * @param inputDelay    as Kaltura sends it; Kaltura does not document its unit
 * @param captionFormat as Kaltura sends it (free text)
 * @param language      the target language, a 3-letter code such as {@code eng}
 */
public record LiveCaptionFeature(
        String systemName,
        Duration preStartTime,
        Duration postEndTime,
        URI mediaUrl,
        Secret mediaKey,
        URI captionUrl,
        Secret captionToken,
        Integer inputDelay,
        String captionFormat,
        String language) {

    /** How the media arrives, read from the media URL's scheme. */
    public Optional<TransferMethod> transferMethod() {
        return mediaUrl == null ? Optional.empty() : TransferMethod.ofUrl(mediaUrl);
    }
}
