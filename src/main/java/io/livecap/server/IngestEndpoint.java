package io.livecap.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.ingest.Chunk;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.StreamStart;
import io.livecap.session.SessionObserver;
import io.livecap.session.Sessions;
import io.livecap.session.StreamSession;
import io.livecap.timing.Discontinuity;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v1/ingest/{streamId}}: a start message, then binary chunks (8-byte big-endian pts + payload), then eos.
 * Protocol errors answer {"type":"error"} and close with the contract's status; whatever audio arrived before the
 * error is still recognised and its captions delivered.
 */
final class IngestEndpoint extends WebSocketEndpoint implements SessionObserver {

    private static final Logger log = LoggerFactory.getLogger(IngestEndpoint.class);
    private static final int PTS_BYTES = 8;

    private final String streamId;
    private final Sessions sessions;
    private final int maxChunkBytes;
    private final String defaultLanguage;
    private StreamSession session;

    IngestEndpoint(String streamId, Sessions sessions, int maxChunkBytes, String defaultLanguage) {
        this.streamId = streamId;
        this.sessions = sessions;
        this.maxChunkBytes = maxChunkBytes;
        this.defaultLanguage = defaultLanguage;
    }

    @Override
    protected void onText(String text) {
        try {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                throw new IngestError("bad_json", IngestError.INVALID_PAYLOAD,
                        "text message is not JSON: " + e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                throw new IngestError("bad_json", IngestError.INVALID_PAYLOAD, "text message must be a JSON object");
            }
            String type = json.path("type").asText("");
            switch (type) {
                case "start" -> start(json);
                case "eos" -> {
                    requireStarted();
                    session.end("end of stream");
                }
                default -> throw new IngestError("unknown_type", IngestError.POLICY,
                        "unknown message type \"" + type + "\"; expected start or eos");
            }
        } catch (IngestError e) {
            reject(e);
        }
    }

    private void start(JsonNode json) {
        if (session != null) {
            throw new IngestError("already_started", IngestError.POLICY, "stream " + streamId + " is already started");
        }
        StreamStart format = StreamStart.parse(json, defaultLanguage);
        session = sessions.open(streamId, format, this);
        sendJson(Map.of("type", "ready", "stream_id", streamId));
        log.info("stream {}: ingest from {}", streamId, channel.remoteAddress());
    }

    @Override
    protected void onBinary(ByteBuf data) {
        try {
            requireStarted();
            int size = data.readableBytes();
            if (size < PTS_BYTES) {
                throw new IngestError("bad_chunk", IngestError.INVALID_PAYLOAD,
                        "binary message of " + size + " bytes has no 8-byte pts header");
            }
            if (size - PTS_BYTES > maxChunkBytes) {
                throw new IngestError("chunk_too_big", IngestError.TOO_BIG, "chunk payload of " + (size - PTS_BYTES)
                        + " bytes exceeds the limit of " + maxChunkBytes + " (send 20-100 ms per chunk)");
            }
            long pts = data.readLong();
            byte[] payload = new byte[size - PTS_BYTES];
            data.readBytes(payload);
            session.offer(new Chunk(pts, System.currentTimeMillis(), payload));
            if (session.backlogMs() > StreamSession.HIGH_WATER_MS) {
                channel.config().setAutoRead(false); // back-pressure: the source waits, memory stays bounded
            }
        } catch (IngestError e) {
            reject(e);
        }
    }

    private void requireStarted() {
        if (session == null) {
            throw new IngestError("not_started", IngestError.POLICY,
                    "send {\"type\":\"start\",...} before audio or eos");
        }
    }

    private void reject(IngestError e) {
        log.warn("stream {}: closing ingest ({}): {}", streamId, e.code(), e.getMessage());
        fail(e.code(), e.getMessage(), e.closeStatus());
        if (session != null) {
            session.end("ingest error: " + e.code());
        }
    }

    @Override
    protected void onClosed() {
        if (session != null && !session.isEnded()) {
            log.warn("stream {}: source disconnected without eos after {} ms of audio; finishing its captions",
                    streamId, session.audioMs());
            session.end("source disconnected");
        }
    }

    @Override
    public void onDiscontinuity(Discontinuity jump) {
        Map<String, Object> warning = new LinkedHashMap<>();
        warning.put("type", "warning");
        warning.put("code", "pts_discontinuity");
        warning.put("message", "pts jumped by " + jump.jumpTicks() + " ticks at " + jump.atMs()
                + " ms; captions keep a continuous start");
        warning.put("at", jump.atMs());
        warning.put("expected_pts", jump.expectedPts());
        warning.put("pts", jump.actualPts());
        sendJson(warning);
    }

    @Override
    public void onDrained() {
        channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
    }

    @Override
    public void onFinished(long lastSeq) {
        channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        if (channel.isActive() && !isClosing()) {
            sendJson(Map.of("type", "eos", "stream_id", streamId, "seq", lastSeq));
            close(1000, "end of stream");
        }
    }

    @Override
    public void onFailed(String message) {
        if (channel.isActive()) {
            fail("session_failed", message, IngestError.INTERNAL);
        }
    }
}
