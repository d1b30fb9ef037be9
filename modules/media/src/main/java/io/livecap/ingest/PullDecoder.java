package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Pulls a live source ({@link PullSource}) through ffmpeg into 16 kHz stereo PCM {@link Chunk}s, for as long as it
 * is open: drops reconnect with {@link Backoff}, and each time audio comes back the listener hears a
 * {@link MediaGap} (how long, where, and the pts restart the session's timing map will record).
 *
 * <p>Each chunk's pts is the source's own (RTMP: FLV milliseconds; SRT, HLS, websocket: 90 kHz MPEG-TS), wrapped as
 * the source wraps it. Its epoch is when the PCM came out of ffmpeg: a pulled stream has no arrival clock of its
 * own that is closer to the media. It lags the media by the transport and server buffering (measured 0.2-0.8 s
 * on loopback, by kind) plus ffmpeg's own few milliseconds.
 *
 * <p>The listener never hears {@code onEnd}: a live source has no end of its own; whoever opened it closes it.
 */
public final class PullDecoder implements AutoCloseable {

    /** A pts jump larger than this is a gap, not rounding. */
    private static final long GAP_MS = 100;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Stall detection where the protocol has none of its own (TCP reads for RTMP and HLS). */
    private static final String RW_TIMEOUT_US = "15000000";
    private static final Logger log = LoggerFactory.getLogger(PullDecoder.class);

    private final String streamId;
    private final PullSource source;
    private final Backoff backoff;
    private final DecodedAudioListener listener;
    private final PtsClock clock;
    private final Thread supervisor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile DecoderProcess current;
    private volatile WebSocketMediaReader currentSocket;
    // supervisor thread only
    private long lastPts = Long.MIN_VALUE;
    private int lastSamples;
    private long lastEpochMs;
    private long nextPts16k;
    private long deliveredSamples;
    private String lastExit = "";
    private String lostBecause = "";
    private boolean endedCleanly;

    private PullDecoder(String streamId, PullSource source, Backoff backoff, DecodedAudioListener listener) {
        this.streamId = streamId;
        this.source = source;
        this.backoff = backoff;
        this.listener = listener;
        this.clock = new PtsClock(source.timescale(), source.ptsBits());
        this.supervisor = new Thread(this::run, "pull-" + streamId);
        this.supervisor.setDaemon(true);
    }

    public static PullDecoder start(String streamId, PullSource source, DecodedAudioListener listener) {
        return start(streamId, source, Backoff.DEFAULT, listener);
    }

    public static PullDecoder start(String streamId, PullSource source, Backoff backoff,
                                    DecodedAudioListener listener) {
        PullDecoder decoder = new PullDecoder(streamId, source, backoff, listener);
        log.info("stream {}: pulling {} ({} ticks/s, pts wrap at 2^{})", streamId, source, source.timescale(),
                source.ptsBits());
        decoder.supervisor.start();
        return decoder;
    }

    public PullSource source() {
        return source;
    }

    /** Stops pulling: kills ffmpeg, closes the websocket, joins the threads; the listener hears nothing more. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        WebSocketMediaReader socket = currentSocket;
        if (socket != null) {
            socket.close();
        }
        DecoderProcess ffmpeg = current;
        try {
            if (ffmpeg != null) {
                ffmpeg.close();
            }
            if (Thread.currentThread() != supervisor) { // a listener may close from its callback
                supervisor.join(10_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The ffmpeg process now running, if any (tests, metrics). */
    long pid() {
        DecoderProcess ffmpeg = current;
        return ffmpeg == null ? -1 : ffmpeg.pid();
    }

    private void run() {
        int attempt = 0; // connections in a row that gave no audio
        try {
            while (!closed) {
                if (attempt > 0) {
                    Duration delay = backoff.delay(attempt);
                    log.warn("stream {}: reconnect attempt {} to {} in {} ms (last: {})", streamId, attempt, source,
                            delay.toMillis(), lastExit);
                    if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (endedCleanly && source.kind() == PullSource.Kind.HLS && !HlsPlaylist.isLive(source.target())) {
                        lastExit = "the playlist is still ended (#EXT-X-ENDLIST)";
                        attempt++;
                        continue;
                    }
                }
                boolean flowed = pullOnce();
                if (closed) {
                    break;
                }
                if (flowed) {
                    log.warn("stream {}: source {} lost: {}", streamId, source, lastExit);
                    lostBecause = lastExit;
                    listener.onSourceLost(lastExit);
                    attempt = 0;
                }
                attempt++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("stream {}: pull stopped: decoded audio listener failed", streamId, e);
        }
    }

    /** One connection, until it ends; true when it gave audio. */
    private boolean pullOnce() throws InterruptedException {
        DecoderProcess ffmpeg;
        try {
            ffmpeg = source.kind() == PullSource.Kind.WEBSOCKET
                    ? DecoderProcess.start(streamId, List.of("-f", source.wsFormat()), "pipe:0", source::redact)
                    : DecoderProcess.start(streamId, inputOptions(), source.target().toString(), source::redact);
        } catch (IOException e) {
            lastExit = "cannot start ffmpeg: " + e.getMessage();
            endedCleanly = false;
            return false;
        }
        current = ffmpeg;
        boolean flowed = false;
        try {
            if (closed) {
                return false;
            }
            if (source.kind() == PullSource.Kind.WEBSOCKET) {
                try {
                    WebSocketMediaReader socket = new WebSocketMediaReader(source, ffmpeg.stdin());
                    currentSocket = socket;
                    if (closed) {
                        return false;
                    }
                    socket.open(CONNECT_TIMEOUT);
                } catch (IOException e) {
                    lastExit = e.getMessage();
                    endedCleanly = false;
                    return false;
                }
            }
            boolean gapPending = lastPts != Long.MIN_VALUE; // audio came before: this is a comeback
            DecoderProcess.Frame frame;
            while ((frame = ffmpeg.next()) != null) {
                if (closed) {
                    return flowed;
                }
                deliver(frame, gapPending);
                gapPending = false;
                flowed = true;
            }
            int code = ffmpeg.exitCode();
            endedCleanly = code == 0;
            WebSocketMediaReader socket = currentSocket;
            String exit = code == 0 ? "the source ended the stream" : ffmpeg.describeExit(code);
            lastExit = socket != null ? "websocket " + socket.closeReason() + "; " + exit : exit;
            return flowed;
        } catch (IOException e) {
            lastExit = "decoder output broke: " + e.getMessage();
            endedCleanly = false;
            return flowed;
        } finally {
            WebSocketMediaReader socket = currentSocket;
            currentSocket = null;
            if (socket != null) {
                socket.closeBlocking();
            }
            ffmpeg.close();
            current = null;
        }
    }

    private List<String> inputOptions() {
        List<String> options = new ArrayList<>();
        if (source.kind() == PullSource.Kind.HLS) {
            options.addAll(List.of("-live_start_index", "-1")); // the default, -3, starts 6 s behind
        }
        if (source.kind() != PullSource.Kind.SRT) { // SRT has its own peer-idle timeout
            options.addAll(List.of("-rw_timeout", RW_TIMEOUT_US));
        }
        return options;
    }

    private void deliver(DecoderProcess.Frame frame, boolean afterReconnect) {
        // no arrival clock closer to the media exists for a pulled stream: the time the PCM came out
        long now = System.currentTimeMillis();
        long pts16k = frame.pts16k() == Long.MIN_VALUE ? nextPts16k : frame.pts16k();
        nextPts16k = pts16k + frame.samples();
        long pts = clock.wrap(clock.ticksOfOutputPts(pts16k));
        if (lastPts != Long.MIN_VALUE) {
            long expected = clock.wrap(lastPts + clock.ticksOfSamples(lastSamples));
            long jump = clock.delta(expected, pts);
            if (afterReconnect || Math.abs(clock.ms(jump)) > GAP_MS) {
                String cause = afterReconnect ? "reconnected after: " + lostBecause
                        : String.format("pts jumped by %+.3f s", (double) jump / clock.timescale());
                MediaGap gap = new MediaGap(deliveredSamples * 1000 / DecodedAudioListener.SAMPLE_RATE, expected,
                        pts, lastEpochMs, now, cause);
                log.warn("stream {}: audio resumed after {} ms without it, at {} ms of stream audio; pts {} -> {} ({})",
                        streamId, gap.lengthMs(), gap.atMs(), expected, pts, cause);
                listener.onGap(gap);
            }
        }
        lastPts = pts;
        lastSamples = frame.samples();
        lastEpochMs = now;
        deliveredSamples += frame.samples();
        listener.onAudio(new Chunk(pts, now, frame.pcm()));
    }
}
