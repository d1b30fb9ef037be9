package io.livecap.reach;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An event with captions in several languages: the task's tag (en-US) finds the feature named by code (eng). */
class ScheduleEventTest {

    private static LiveCaptionFeature feature(String language) {
        return new LiveCaptionFeature("captions-" + language, null, null, URI.create("ws://localhost:1/media"),
                null, URI.create("ws://localhost:1/captions/" + language), null, null, null, language);
    }

    private static ScheduleEvent event(List<LiveCaptionFeature> features) {
        return new ScheduleEvent(7, "KalturaLiveStreamScheduleEvent", 1, "event", 2, null, null, null, null,
                null, null, features);
    }

    @Test
    void aTaskLanguageTagFindsTheFeatureNamedByItsThreeLetterCode() {
        ScheduleEvent event = event(List.of(feature("spa"), feature("eng")));
        assertEquals("eng", event.captionFeature("en-US").orElseThrow().language());
        assertEquals("spa", event.captionFeature("es-ES").orElseThrow().language());
        assertEquals("eng", event.captionFeature("eng").orElseThrow().language());
        assertTrue(event.captionFeature("fr-FR").isEmpty());
        assertTrue(event.captionFeature(null).isEmpty());
    }

    @Test
    void theOnlyFeatureOfAnEventIsItsFeatureWhateverTheLanguage() {
        assertEquals("eng", event(List.of(feature("eng"))).captionFeature("de-DE").orElseThrow().language());
    }
}
