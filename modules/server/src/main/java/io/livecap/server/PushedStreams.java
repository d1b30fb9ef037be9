package io.livecap.server;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ingest websockets whose sessions are live, by stream id, so that {@code DELETE /v1/streams/{id}} can end a
 * pushed session as it stops a pull: only the connection that owns a session can end it cleanly (drain, eos, close).
 */
final class PushedStreams {

    private final Map<String, IngestEndpoint> byStream = new ConcurrentHashMap<>();

    void add(String streamId, IngestEndpoint endpoint) {
        byStream.put(streamId, endpoint);
    }

    void remove(String streamId, IngestEndpoint endpoint) {
        byStream.remove(streamId, endpoint);
    }

    Optional<IngestEndpoint> get(String streamId) {
        return Optional.ofNullable(byStream.get(streamId));
    }
}
