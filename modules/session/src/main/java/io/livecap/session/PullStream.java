package io.livecap.session;

import io.livecap.ingest.Chunk;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.MediaGap;
import io.livecap.ingest.PullDecoder;
import io.livecap.ingest.PullSource;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session that pulls its media from a URL (Kaltura's {@code mediaUrl} + {@code mediaKey}, or any RTMP, SRT, HLS
 * or websocket source) instead of waiting for a push. Drops reconnect with backoff inside the decoder; the session
 * sees the gap as a pts jump and a recorded {@link MediaGap}, and keeps a continuous {@code start}.
 */
public final class PullStream implements DecodedAudioListener {

    private static final Logger log = LoggerFactory.getLogger(PullStream.class);

    private final StreamSession session;
    private final PullDecoder decoder;

    PullStream(StreamSession session, PullSource source) {
        this.session = session;
        this.decoder = PullDecoder.start(session.streamId(), source, this);
        log.info("stream {}: pulling {}", session.streamId(), source);
    }

    public StreamSession session() {
        return session;
    }

    /** Stops pulling; the session finishes its captions and ends. */
    public void stop(String reason) {
        decoder.close();
        session.end(reason);
    }

    @Override
    public void onAudio(Chunk pcm) {
        try {
            session.offer(pcm);
        } catch (IngestError ended) {
            decoder.close(); // the session ended under us (shutdown, failure): stop pulling
        }
    }

    @Override
    public void onGap(MediaGap gap) {
        session.recordGap(gap);
    }

    @Override
    public void onSourceLost(String reason) {
        Metrics.counter("livecap.media.source.lost").increment();
        log.warn("stream {}: media source lost ({}); reconnecting", session.streamId(), reason);
    }

    @Override
    public void onEnd() {
        session.end("source ended");
    }

    @Override
    public void onFailure(String message) {
        log.error("stream {}: pull failed: {}", session.streamId(), message);
        session.end("pull failed: " + message);
    }
}
