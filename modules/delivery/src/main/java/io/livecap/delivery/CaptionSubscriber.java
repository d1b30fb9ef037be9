package io.livecap.delivery;

import io.livecap.audio.HealthEvent;
import io.livecap.captions.Caption;

/** A local subscriber to one stream's captions (a caption websocket, a test, a transcript writer). */
public interface CaptionSubscriber {

    /** Called in seq order. Must not block: hand the caption to an outbound buffer. */
    void onCaption(Caption caption);

    /** The stream's audio health changed (not numbered, not replayed: the health API has the history). */
    default void onHealth(HealthEvent event) {
    }

    /** The stream ended; {@code lastSeq} is the seq of its last caption (0 if none). */
    void onEndOfStream(String streamId, long lastSeq, String reason);
}
