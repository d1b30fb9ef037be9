package io.livecap.delivery;

import io.livecap.captions.Caption;

import java.util.function.Consumer;

/**
 * Captions between the nodes of a cluster: the node that owns a stream tells the others what it published, so a
 * subscriber on any node gets the stream live. A notice carries a seq, not a guarantee: finals are always read back
 * from the shared store (a lost notice delays a final until the next one, never drops it); partials ride in the
 * notice itself and may be lost, as a slow subscriber's are. {@link #NONE} on a single node.
 */
public interface CaptionRelay {

    /** What the owner said: a caption ({@code partial} set only for a partial that fit), or the stream's end. */
    record Notice(String streamId, long seq, boolean isFinal, Caption partial, String endReason) {

        public boolean isEnd() {
            return endReason != null;
        }

        /** Not from the owner: the relay was cut off and is back, so anything may have been missed. */
        public static Notice resync(String streamId) {
            return new Notice(streamId, -1, true, null, null);
        }
    }

    /** Owner side: the caption was stored (a final) or issued; tells the other nodes. Never blocks. */
    void published(String streamId, Caption caption);

    /** Owner side: the stream ended after {@code lastSeq}. Never blocks. */
    void ended(String streamId, long lastSeq, String reason);

    /** The node that holds the stream live now, if it is another one; null otherwise (or unknown). */
    String ownerElsewhere(String streamId);

    /**
     * Starts passing the other nodes' notices about {@code streamId} to {@code sink} (on the relay's thread), and
     * returns only once they flow, so what is read from the store afterwards leaves no gap. Closing stops them.
     */
    AutoCloseable follow(String streamId, Consumer<Notice> sink);

    /** Whether there are other nodes to relay to and from. */
    default boolean enabled() {
        return true;
    }

    /** A single node: nothing to relay. */
    CaptionRelay NONE = new CaptionRelay() {
        @Override
        public void published(String streamId, Caption caption) {
        }

        @Override
        public void ended(String streamId, long lastSeq, String reason) {
        }

        @Override
        public String ownerElsewhere(String streamId) {
            return null;
        }

        @Override
        public AutoCloseable follow(String streamId, Consumer<Notice> sink) {
            return () -> { };
        }

        @Override
        public boolean enabled() {
            return false;
        }
    };
}
