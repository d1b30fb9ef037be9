package io.livecap.server;

import io.livecap.session.Sessions;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Instant;

/** What the server's handlers share. */
record ServerContext(Sessions sessions, int maxChunkBytes, int maxFrameBytes, String defaultLanguage,
                     Instant startedAt, String version, PrometheusMeterRegistry metrics,
                     ServerAccess access) {
}
