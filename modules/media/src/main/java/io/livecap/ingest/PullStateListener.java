package io.livecap.ingest;

/** Hears every change of a pull's {@link PullStatus} (from the pull's own thread; keep it quick). */
@FunctionalInterface
public interface PullStateListener {

    void onPullState(String streamId, PullStatus status);
}
