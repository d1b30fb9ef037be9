package io.livecap.lifecycle;

import io.livecap.delivery.CaptionFeed;
import io.livecap.reach.Secret;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;

/** Sends a Live task's captions to Kaltura's {@code captionUrl} for as long as the task's session runs. */
public interface CaptionUplink {

    /** Starts (or, after a restart, resumes) pushing {@code feed} to {@code captionUrl}; nothing after {@code cutoff}. */
    void open(LiveTask task, CaptionFeed feed, URI captionUrl, Secret captionToken, Instant cutoff);

    /** The stream has ended: deliver what is left (within a bounded wait), then disconnect. Idempotent. */
    void close(LiveTask task);

    /**
     * Another node carries the task on: wait up to {@code grace} for Kaltura to confirm every final sent so far,
     * then disconnect without eos (the stream is not over), so the next owner resumes after the last confirmed seq
     * and opens its connection only once this one is gone. Idempotent.
     */
    void handOver(LiveTask task, Duration grace);

    boolean isOpen(LiveTask task);
}
