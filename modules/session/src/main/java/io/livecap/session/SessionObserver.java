package io.livecap.session;

import io.livecap.timing.Discontinuity;

/** What the edge that feeds a session (the ingest websocket, a puller) hears back from it. Called on the session thread. */
public interface SessionObserver {

    /**
     * The source's pts jumped; the stream goes on with continuous {@code start}. Repeated jumps are reported at most
     * once per warning interval: {@code leftOut} counts those not reported since the last report.
     */
    default void onDiscontinuity(Discontinuity jump, long leftOut) {
    }

    /** The backlog fell below the low-water mark: the source may send again. */
    default void onDrained() {
    }

    /** Recognition finished and the last captions went out (after {@link StreamSession#end}). */
    default void onFinished(long lastSeq) {
    }

    /** The session failed and stopped; the message is fit for the client and the log. */
    default void onFailed(String message) {
    }
}
