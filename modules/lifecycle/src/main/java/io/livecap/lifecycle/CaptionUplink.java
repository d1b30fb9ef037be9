package io.livecap.lifecycle;

import io.livecap.delivery.CaptionFeed;
import io.livecap.reach.Secret;

import java.net.URI;
import java.time.Instant;

/** Sends a Live task's captions to Kaltura's {@code captionUrl} for as long as the task's session runs. */
public interface CaptionUplink {

    /** Starts (or, after a restart, resumes) pushing {@code feed} to {@code captionUrl}; nothing after {@code cutoff}. */
    void open(LiveTask task, CaptionFeed feed, URI captionUrl, Secret captionToken, Instant cutoff);

    /** The stream has ended: deliver what is left (within a bounded wait), then disconnect. Idempotent. */
    void close(LiveTask task);

    boolean isOpen(LiveTask task);
}
