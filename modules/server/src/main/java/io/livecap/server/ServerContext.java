package io.livecap.server;

import io.livecap.session.Sessions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Instant;

/** What the server's handlers share, with the connection caps they count against. */
record ServerContext(Sessions sessions, int maxChunkBytes, int maxFrameBytes, String defaultLanguage,
                     Instant startedAt, String version, PrometheusMeterRegistry metrics, ServerLimits limits,
                     ServerAccess access, ConnectionCap ingestCap, ConnectionCap voskCap, ConnectionCap subscriberCap,
                     PushedStreams pushed) {

    ServerContext(Sessions sessions, int maxChunkBytes, int maxFrameBytes, String defaultLanguage, Instant startedAt,
                  String version, PrometheusMeterRegistry metrics, ServerLimits limits, ServerAccess access) {
        this(sessions, maxChunkBytes, maxFrameBytes, defaultLanguage, startedAt, version, metrics, limits, access,
                new ConnectionCap("ingest connections", limits.maxIngestSessions()),
                new ConnectionCap("/v1/vosk connections", limits.maxVoskSessions()),
                new ConnectionCap("caption subscribers", limits.maxSubscribers()), new PushedStreams());
    }
}
