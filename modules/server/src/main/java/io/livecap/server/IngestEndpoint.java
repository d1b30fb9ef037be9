package io.livecap.server;

import io.livecap.captions.Json;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.ingest.Chunk;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.MediaGap;
import io.livecap.ingest.PushDecoder;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.StreamStart;
import io.livecap.session.SessionObserver;
import io.livecap.session.Sessions;
import io.livecap.session.StreamSession;
import io.livecap.timing.Discontinuity;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
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
    /** The session's end reason and the ingest websocket's close reason when an operator ended the stream. */
    static final String ENDED_BY_OPERATOR = "ended by operator";

    private final String streamId;
    private final Sessions sessions;
    private final int maxChunkBytes;
    private final String defaultLanguage;
    private final ConnectionCap cap;
    private final Duration startTimeout;
    private boolean holdsSlot;
    private ScheduledFuture<?> startDeadline;
    private StreamSession session;
    private PushDecoder decoder; // compressed streams only
    private volatile boolean sourceGone;
    private final PushedStreams pushed;
    /** Set on the event loop when an operator ended the session: the source's further audio is dropped. */
    private volatile boolean endedByOperator;

    IngestEndpoint(String streamId, ServerContext context) {
        this.streamId = streamId;
        this.sessions = context.sessions();
        this.maxChunkBytes = context.maxChunkBytes();
        this.defaultLanguage = context.defaultLanguage();
        this.cap = context.ingestCap();
        this.startTimeout = context.limits().startTimeout();
        this.pushed = context.pushed();
    }

    /** Takes an ingest slot, and gives the source {@code start_timeout} to say what it sends. */
    @Override
    protected void onOpen() {
        if (!cap.tryTake()) {
            refuseBusy(cap.busyMessage());
            return;
        }
        holdsSlot = true;
        startDeadline = channel.eventLoop().schedule(() -> {
            if (session == null && !isClosing()) {
                reject(new IngestError("start_timeout", IngestError.POLICY, "no start message within "
                        + startTimeout.toSeconds() + " s of connecting"));
            }
        }, startTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
                    if (endedByOperator) {
                        return; // already ending: the captions drain, then eos goes out
                    }
                    if (json.path("end_event").asBoolean(false)) {
                        session.markEventEnded();
                    }
                    if (decoder != null) {
                        decoder.endOfInput(); // the decoder drains, then ends the session
                    } else {
                        session.end("end of stream");
                    }
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
        if (format.isPcm()) {
            session = sessions.open(streamId, format, this);
        } else {
            session = sessions.open(streamId, format.decoded(), this);
            try {
                decoder = PushDecoder.start(streamId, format.codec(), format.timescale(), format.ptsBits(),
                        new DecoderOutput());
            } catch (IOException e) {
                session.end("decoder did not start");
                throw new IngestError("decoder_failed", IngestError.INTERNAL, "cannot start the "
                        + format.codec() + " decoder: " + e.getMessage());
            }
        }
        startDeadline.cancel(false);
        pushed.add(streamId, this);
        sendJson(Map.of("type", "ready", "stream_id", streamId));
        log.info("stream {}: ingest from {} ({})", streamId, channel.remoteAddress(), format.codec());
    }

    @Override
    protected void onBinary(ByteBuf data) {
        if (endedByOperator) {
            return; // the session is draining: audio after the operator's end is not captioned
        }
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
            Chunk chunk = new Chunk(pts, System.currentTimeMillis(), payload);
            if (decoder != null) {
                decoder.write(chunk);
            } else {
                session.offer(chunk);
            }
            if (behind()) {
                updateAutoRead(); // back-pressure: the source waits, memory stays bounded
            }
        } catch (IngestError e) {
            reject(e);
        }
    }

    @Override
    protected boolean behind() {
        return session != null && !session.isEnded() && session.backlogMs() > StreamSession.HIGH_WATER_MS;
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
        if (decoder != null) {
            decoder.close();
        }
        if (session != null) {
            session.end("ingest error: " + e.code());
        }
    }

    /**
     * {@code DELETE /v1/streams/{id}} on a pushed stream: the session finishes the captions of the audio it has,
     * sends eos to its subscribers, then this connection gets eos and closes 1000 "ended by operator".
     */
    void endByOperator() {
        channel.eventLoop().execute(() -> {
            if (session == null || session.isEnded() || endedByOperator) {
                return;
            }
            endedByOperator = true;
            log.info("stream {}: ended by operator after {} ms of audio", streamId, session.audioMs());
            if (decoder != null) {
                decoder.endOfInput(); // decode what arrived; the decoder then ends the session
            } else {
                session.end(ENDED_BY_OPERATOR);
            }
        });
    }

    @Override
    protected void onClosed() {
        pushed.remove(streamId, this);
        if (startDeadline != null) {
            startDeadline.cancel(false);
        }
        if (holdsSlot) {
            holdsSlot = false;
            cap.release();
        }
        if (session != null && !session.isEnded()) {
            log.warn("stream {}: source disconnected without eos after {} ms of audio; finishing its captions",
                    streamId, session.audioMs());
            sourceGone = true;
            if (decoder != null) {
                decoder.endOfInput(); // decode what arrived; the decoder then ends the session
            } else {
                session.end("source disconnected");
            }
        }
    }

    /** Decoded PCM of a compressed stream, from the decoder's thread, into the session. */
    private final class DecoderOutput implements DecodedAudioListener {

        @Override
        public void onAudio(Chunk pcm) {
            try {
                session.offer(pcm);
            } catch (IngestError ended) {
                decoder.close();
            }
        }

        @Override
        public void onGap(MediaGap gap) {
            session.recordGap(gap);
        }

        @Override
        public void onEnd() {
            session.end(sourceGone ? "source disconnected" : endedByOperator ? ENDED_BY_OPERATOR : "end of stream");
        }

        @Override
        public void onFailure(String message) {
            log.warn("stream {}: {}", streamId, message);
            fail("decoder_failed", message, IngestError.INVALID_PAYLOAD);
            session.end("decoder failed");
        }
    }

    @Override
    public void onDiscontinuity(Discontinuity jump, long leftOut) {
        Map<String, Object> warning = new LinkedHashMap<>();
        warning.put("type", "warning");
        warning.put("code", "pts_discontinuity");
        warning.put("message", "pts jumped by " + jump.jumpTicks() + " ticks at " + jump.atMs()
                + " ms; captions keep a continuous start"
                + (leftOut == 0 ? "" : " (" + leftOut + " more jumps since the last warning)"));
        warning.put("left_out", leftOut);
        warning.put("at", jump.atMs());
        warning.put("expected_pts", jump.expectedPts());
        warning.put("pts", jump.actualPts());
        sendJson(warning);
    }

    @Override
    public void onDrained() {
        channel.eventLoop().execute(this::updateAutoRead);
    }

    @Override
    public void onFinished(long lastSeq) {
        if (decoder != null) {
            decoder.close();
        }
        channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        if (channel.isActive() && !isClosing()) {
            sendJson(Map.of("type", "eos", "stream_id", streamId, "seq", lastSeq));
            close(1000, endedByOperator ? ENDED_BY_OPERATOR : "end of stream");
        }
    }

    @Override
    public void onFailed(String message) {
        if (channel.isActive()) {
            fail("session_failed", message, IngestError.INTERNAL);
        }
    }
}
