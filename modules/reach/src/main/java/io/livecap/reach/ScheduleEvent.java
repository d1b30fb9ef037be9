package io.livecap.reach;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A scheduled live event ({@code KalturaLiveStreamScheduleEvent}) with the caption features of its
 * {@code liveFeatures}; other feature kinds are not read.
 */
public record ScheduleEvent(
        long id,
        String objectType,
        long partnerId,
        String summary,
        Integer status,
        Instant startDate,
        Instant endDate,
        String templateEntryId,
        String sourceEntryId,
        Duration preStartTime,
        Duration postEndTime,
        List<LiveCaptionFeature> captionFeatures) {

    public ScheduleEvent {
        captionFeatures = List.copyOf(captionFeatures);
    }

    /** The caption feature for {@code language} (3-letter code), or the only one if the event has just one. */
    public Optional<LiveCaptionFeature> captionFeature(String language) {
        if (captionFeatures.size() == 1) {
            return Optional.of(captionFeatures.get(0));
        }
        return captionFeatures.stream().filter(f -> language != null && language.equalsIgnoreCase(f.language()))
                .findFirst();
    }
}
