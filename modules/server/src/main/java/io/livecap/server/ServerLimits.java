package io.livecap.server;

import java.time.Duration;

/**
 * What clients can hold on this server (the {@code limits} section): connection caps (0 = none), how long a source
 * has to send its start message, when a silent connection is closed, and how much may wait for a peer that does
 * not read.
 */
public record ServerLimits(int maxIngestSessions, int maxVoskSessions, int maxSubscribersPerStream,
                           int maxSubscribers, Duration startTimeout, Duration idleTimeout,
                           int writeBufferLowBytes, int writeBufferHighBytes, int voskMaxQueuedMs) {

    /** The documented defaults of config/livecap.yaml. */
    public static final ServerLimits DEFAULT = new ServerLimits(64, 8, 256, 2048, Duration.ofSeconds(10),
            Duration.ofSeconds(120), 256 * 1024, 1024 * 1024, 2000);
}
