package io.livecap.delivery;

import io.livecap.captions.Caption;
import io.livecap.testkit.InMemoryCaptionStore;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's own observer of a feed (the operator console) hears every caption and takes no client's place. */
class CaptionFeedObserverTest {

    private static final class Recorder implements CaptionSubscriber {
        final List<Caption> captions = new ArrayList<>();

        @Override
        public void onCaption(Caption caption) {
            captions.add(caption);
        }

        @Override
        public void onEndOfStream(String streamId, long lastSeq, String reason) {
        }
    }

    @Test
    void anObserverIsNotCountedAgainstTheSubscriberCap() {
        CaptionFeed feed = new CaptionFeed("watched", new InMemoryCaptionStore());
        feed.open();
        Recorder console = new Recorder();
        Recorder viewer = new Recorder();
        feed.observe(console);
        assertTrue(feed.subscribe(viewer, -1, 1), "the one viewer the cap allows");
        assertFalse(feed.subscribe(new Recorder(), -1, 1), "a second one is over the cap");

        feed.accept(new Caption("watched", 1, true, 1, "hello", List.of("hello"), 0, 500, 0, 0, List.of(), "en-US"));
        assertEquals(1, console.captions.size());
        assertEquals(1, viewer.captions.size());

        feed.unsubscribe(console);
        feed.unsubscribe(viewer);
        assertTrue(feed.subscribe(viewer, -1, 1), "gone observers leave no count behind");
    }
}
