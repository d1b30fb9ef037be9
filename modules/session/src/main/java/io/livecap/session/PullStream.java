package io.livecap.session;

import io.livecap.ingest.Chunk;
import io.livecap.ingest.DecodedAudioListener;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.MediaGap;
import io.livecap.ingest.PullDecoder;
import io.livecap.ingest.PullSettings;
import io.livecap.ingest.PullSource;
import io.livecap.ingest.PullState;
import io.livecap.ingest.PullStateListener;
import io.livecap.ingest.PullStatus;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session that pulls its media from a URL (Kaltura's {@code mediaUrl} + {@code mediaKey}, or any RTMP, SRT, HLS
 * or websocket source) instead of waiting for a push. Drops reconnect with backoff inside the decoder; the session
 * sees the gap as a pts jump and a recorded {@link MediaGap}, and keeps a continuous {@code start}. The pull's
 * {@link PullStatus} is kept here for the API and counted in {@code livecap_pulls{state}}; a pull that fails
 * ends its session.
 */
public final class PullStream implements DecodedAudioListener {

    private static final Logger log = LoggerFactory.getLogger(PullStream.class);
    /** Open pulls by state: the gauge {@code livecap_pulls{state}}. */
    private static final Map<PullState, AtomicInteger> BY_STATE = new EnumMap<>(PullState.class);

    static {
        for (PullState state : PullState.values()) {
            BY_STATE.put(state, Metrics.gauge("livecap.pulls", java.util.List.of(
                    io.micrometer.core.instrument.Tag.of("state", state.wireName())), new AtomicInteger()));
        }
    }

    private final StreamSession session;
    private final PullStateListener states;
    private volatile PullStatus status;
    private final PullDecoder decoder;
    private final PullSource source;

    PullStream(StreamSession session, PullSource source, PullSettings settings, PullStateListener states) {
        this.session = session;
        this.source = source;
        this.states = states;
        this.decoder = PullDecoder.start(session.streamId(), source, settings, this, this::onPullState);
    }

    public StreamSession session() {
        return session;
    }

    /** Where the audio comes from; its {@code toString()} is the redacted URL, safe to show. */
    public PullSource source() {
        return source;
    }

    /** Where the pull stands now. */
    public PullStatus status() {
        PullStatus now = status;
        return now != null ? now : decoder.status();
    }

    /** Stops pulling; the session finishes its captions and ends. */
    public void stop(String reason) {
        decoder.close();
        session.end(reason);
    }

    private synchronized void onPullState(String streamId, PullStatus next) {
        PullStatus before = status;
        if (before != null) {
            BY_STATE.get(before.state()).decrementAndGet();
        }
        if (!next.state().isFinal()) {
            BY_STATE.get(next.state()).incrementAndGet();
        }
        status = next;
        if (before == null || before.state() != next.state()) {
            log.info("stream {}: pull {}", streamId, next);
            if (next.state() == PullState.FAILED) {
                Metrics.counter("livecap.pull.failures").increment();
            }
        }
        try {
            states.onPullState(streamId, next);
        } catch (RuntimeException e) {
            log.warn("stream {}: pull state listener failed", streamId, e);
        }
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
