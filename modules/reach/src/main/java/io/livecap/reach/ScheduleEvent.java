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

    /**
     * The caption feature for {@code language}, or the only one if the event has just one. A feature names its
     * language with a 3-letter code ({@code eng}) while a task's language is a tag ({@code en-US}): both are compared.
     */
    public Optional<LiveCaptionFeature> captionFeature(String language) {
        if (captionFeatures.size() == 1) {
            return Optional.of(captionFeatures.get(0));
        }
        if (language == null || language.isBlank()) {
            return Optional.empty();
        }
        String iso3 = iso3(language);
        return captionFeatures.stream().filter(f -> f.language() != null && (f.language().equalsIgnoreCase(language)
                || f.language().equalsIgnoreCase(iso3))).findFirst();
    }

    private static String iso3(String tag) {
        try {
            return java.util.Locale.forLanguageTag(tag).getISO3Language();
        } catch (java.util.MissingResourceException e) {
            return tag;
        }
    }
}
