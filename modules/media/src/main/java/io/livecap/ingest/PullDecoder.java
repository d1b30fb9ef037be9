package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
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
 * <p>Its {@link PullStatus} tells the truth: {@code connecting} until audio comes out, {@code live} while it does,
 * {@code retrying} (with the error and the next attempt's time) after a drop or a failed attempt, {@code failed}
 * after {@link PullSettings#failAfterAttempts} permanent errors in a row or no audio for
 * {@link PullSettings#failWithoutAudioAfter} (the listener then hears {@code onFailure}), {@code ended} once closed.
 *
 * <p>Addresses: the host is resolved in Java before every attempt (an unknown host is a clear, permanent error)
 * and every address it resolves to is checked ({@link PullNetworks}); the connection then goes to a checked address
 * (websockets: see {@link WebSocketMediaReader}).
 * livecap fetches HLS ({@link HlsFeed}, {@link SafeHttp}: every redirect, playlist and segment checked) and
 * websockets itself, and ffmpeg decodes them from {@code pipe:0}; RTMP(S) goes through {@link RtmpRelay} (which
 * keeps the key out of ffmpeg's arguments and does the TLS); SRT is given to ffmpeg as the checked address. So ffmpeg
 * never resolves a name, and the bundled static build (see {@link Ffmpeg}) pulls everything.
 *
 * <p>The listener never hears {@code onEnd}: a live source has no end of its own; whoever opened it closes it.
 */
public final class PullDecoder implements AutoCloseable {

    /** A pts jump larger than this is a gap, not rounding. */
    private static final long GAP_MS = 100;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** Stall detection where the protocol has none of its own (TCP reads for RTMP and HLS). */
    private static final String RW_TIMEOUT_US = "15000000";
    /** Audio stopped this long ago on an open connection: no longer live. Chunks come every 20-64 ms. */
    private static final long STALL_MS = 2_000;
    private static final Logger log = LoggerFactory.getLogger(PullDecoder.class);
    /** One thread watches every pull for "no audio for too long" (the pull's own thread is blocked reading). */
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "pull-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    private final String streamId;
    private final PullSource source;
    private final PullSettings settings;
    private final DecodedAudioListener listener;
    private final PullStateListener states;
    private final SafeHttp http;
    private final PtsClock clock;
    private final Thread supervisor;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean closed;
    private volatile String givenUp;
    private volatile DecoderProcess current;
    private volatile WebSocketMediaReader currentSocket;
    private volatile PullStatus status = PullStatus.connecting();
    private volatile long lastAudioAtMs = System.currentTimeMillis();
    private ScheduledFuture<?> watch;
    // supervisor thread only
    private long lastPts = Long.MIN_VALUE;
    private int lastSamples;
    private long lastEpochMs;
    private long nextPts16k;
    private long deliveredSamples;
    private String lastExit = "";
    private String lostBecause = "";
    private boolean endedCleanly;

    private PullDecoder(String streamId, PullSource source, PullSettings settings, DecodedAudioListener listener,
                        PullStateListener states) {
        this.streamId = streamId;
        this.source = source;
        this.settings = settings;
        this.listener = listener;
        this.states = states;
        this.http = new SafeHttp(settings.networks(), TlsTrust.context(settings), settings.tlsVerify());
        this.clock = new PtsClock(source.timescale(), source.ptsBits());
        this.supervisor = new Thread(this::run, "pull-" + streamId);
        this.supervisor.setDaemon(true);
    }

    public static PullDecoder start(String streamId, PullSource source, DecodedAudioListener listener) {
        return start(streamId, source, Backoff.DEFAULT, listener);
    }

    public static PullDecoder start(String streamId, PullSource source, Backoff backoff,
                                    DecodedAudioListener listener) {
        return start(streamId, source, PullSettings.DEFAULT.withBackoff(backoff), listener, (id, s) -> {
        });
    }

    /**
     * Starts pulling. Throws {@link IllegalArgumentException} at once for a source this decoder can never pull
     * (https or rtmps by host name with a decoder that cannot resolve names).
     */
    public static PullDecoder start(String streamId, PullSource source, PullSettings settings,
                                    DecodedAudioListener listener, PullStateListener states) {
        String refusal = refusal(source, settings);
        if (refusal != null) {
            throw new IllegalArgumentException(refusal);
        }
        PullDecoder decoder = new PullDecoder(streamId, source, settings, listener, states);
        log.info("stream {}: pulling {} ({} ticks/s, pts wrap at 2^{})", streamId, source, source.timescale(),
                source.ptsBits());
        states.onPullState(streamId, decoder.status);
        decoder.watch = WATCHDOG.scheduleAtFixedRate(decoder::checkAudioFlows, 250, 250, TimeUnit.MILLISECONDS);
        decoder.supervisor.start();
        return decoder;
    }

    /**
     * Why {@code source} may not or cannot be pulled, or null: its host resolves to an address
     * {@link PullSettings#networks} refuses (a name that does not resolve is left to the pull, which says "unknown
     * host" in its status), or it carries credentials that would end up in ffmpeg's arguments (RTMP/SRT userinfo,
     * an SRT passphrase). Every attempt, redirect and segment is
     * checked again as it happens.
     */
    public static String refusal(PullSource source, PullSettings settings) {
        try {
            settings.networks().resolve(source.url().getHost(), port(source.url()));
        } catch (RefusedAddress e) {
            return e.getMessage();
        } catch (UnknownHostException e) {
            // the pull says so in its status; a name may start resolving once the event is set up
        }
        if (source.kind() != PullSource.Kind.HLS && source.kind() != PullSource.Kind.WEBSOCKET
                && source.url().getRawUserInfo() != null) {
            // ffmpeg would need them in its arguments, which any local user can read (/proc/PID/cmdline)
            return "cannot pull " + source.url().getScheme() + ":// with user:password@ in the URL: ffmpeg would "
                    + "have them in its command line; use the key field (RTMP stream key) instead";
        }
        if (source.kind() == PullSource.Kind.SRT && source.url().getRawQuery() != null
                && source.url().getRawQuery().toLowerCase(java.util.Locale.ROOT).contains("passphrase=")) {
            return "cannot pull srt:// with a passphrase: ffmpeg would have it in its command line, which any local "
                    + "user can read";
        }
        return null;
    }

    public PullSource source() {
        return source;
    }

    public PullStatus status() {
        return status;
    }

    /** Stops pulling: kills ffmpeg, closes the websocket, joins the threads; the listener hears nothing more. */
    @Override
    public void close() {
        closed = true;
        closing.countDown();
        stopConnection();
        try {
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

    private void stopConnection() {
        WebSocketMediaReader socket = currentSocket;
        if (socket != null) {
            socket.close();
        }
        DecoderProcess ffmpeg = current;
        if (ffmpeg != null) {
            ffmpeg.kill();
        }
    }

    private void checkAudioFlows() {
        long silentMs = System.currentTimeMillis() - lastAudioAtMs;
        if (status.state() == PullState.LIVE && silentMs > STALL_MS) {
            // RTMP keeps the connection while the publisher is gone: connected, but no audio is not live
            setStatus(PullState.CONNECTING, "connected, but no audio for " + STALL_MS / 1000 + " s", null, 0);
        }
        Duration giveUpAfter = settings.failWithoutAudioAfter();
        if (givenUp == null && !closed && !giveUpAfter.isZero() && silentMs > giveUpAfter.toMillis()) {
            String last = status.lastError().isEmpty() ? "" : " (last error: " + status.lastError() + ")";
            givenUp = "no audio for " + settings.failWithoutAudioAfter().toSeconds() + " s" + last;
            closing.countDown();
            stopConnection();
        }
    }

    private synchronized void setStatus(PullState state, String error, Instant nextAttempt, int attempts) {
        PullStatus next = new PullStatus(state, status.state() == state ? status.since() : Instant.now(), error,
                nextAttempt, attempts);
        status = next;
        states.onPullState(streamId, next);
    }

    private void run() {
        int attempt = 0; // connections in a row that gave no audio
        int permanentInRow = 0;
        try {
            while (!closed && givenUp == null) {
                if (attempt > 0) {
                    Duration delay = settings.backoff().delay(attempt);
                    setStatus(PullState.RETRYING, lastExit, Instant.now().plus(delay), attempt);
                    log.warn("stream {}: reconnect attempt {} to {} in {} ms (last: {})", streamId, attempt, source,
                            delay.toMillis(), lastExit);
                    if (closing.await(delay.toMillis(), TimeUnit.MILLISECONDS)) {
                        break;
                    }
                    if (endedCleanly && source.kind() == PullSource.Kind.HLS && !HlsPlaylist.isLive(http, source.target(), source.headers())) {
                        lastExit = "the playlist is still ended (#EXT-X-ENDLIST)";
                        attempt++;
                        continue;
                    }
                }
                boolean flowed = pullOnce();
                if (closed || givenUp != null) {
                    break;
                }
                if (flowed) {
                    log.warn("stream {}: source {} lost: {}", streamId, source, lastExit);
                    lostBecause = lastExit;
                    listener.onSourceLost(lastExit);
                    attempt = 0;
                    permanentInRow = 0;
                }
                PullError error = PullError.of(lastExit);
                permanentInRow = error.permanent() ? permanentInRow + 1 : 0;
                if (permanentInRow >= settings.failAfterAttempts()) {
                    givenUp = lastExit + " (" + permanentInRow + " attempts in a row)";
                    break;
                }
                attempt++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("stream {}: pull stopped: decoded audio listener failed", streamId, e);
        } finally {
            if (watch != null) {
                watch.cancel(false);
            }
        }
        if (givenUp != null && !closed) {
            log.error("stream {}: pull of {} failed: {}", streamId, source, givenUp);
            setStatus(PullState.FAILED, givenUp, null, status.attempts());
            listener.onFailure(givenUp);
        } else {
            setStatus(PullState.ENDED, status.lastError(), null, status.attempts());
        }
    }

    /** One connection, until it ends; true when it gave audio. */
    private boolean pullOnce() throws InterruptedException {
        List<String> options = new ArrayList<>();
        String input;
        List<InetAddress> checked;
        RtmpRelay relay = null;
        CompletableFuture<Long> decoderPid = new CompletableFuture<>();
        try {
            checked = settings.networks().resolve(source.url().getHost(), port(source.url()));
            if (source.kind() == PullSource.Kind.RTMP) {
                relay = RtmpRelay.start(source, checked.get(0), port(source.url()),
                        source.url().getScheme().equalsIgnoreCase("rtmps") ? TlsTrust.context(settings) : null,
                        settings.tlsVerify(), decoderPid);
            }
            input = ffmpegInput(options, checked.get(0), relay);
        } catch (UnknownHostException e) {
            lastExit = "unknown host " + source.url().getHost();
            endedCleanly = false;
            return false;
        } catch (RefusedAddress e) {
            lastExit = e.getMessage();
            endedCleanly = false;
            return false;
        } catch (IOException e) {
            lastExit = "cannot open the rtmp relay: " + e.getMessage();
            endedCleanly = false;
            return false;
        }
        DecoderProcess ffmpeg;
        try {
            ffmpeg = DecoderProcess.start(streamId, options, input, source::redact);
            decoderPid.complete(ffmpeg.pid());
        } catch (IOException e) {
            lastExit = "cannot start ffmpeg: " + e.getMessage();
            endedCleanly = false;
            if (relay != null) {
                relay.close();
            }
            return false;
        }
        current = ffmpeg;
        boolean flowed = false;
        Thread hls = null;
        String[] feedError = new String[1];
        try {
            if (closed || givenUp != null) {
                return false;
            }
            if (source.kind() == PullSource.Kind.WEBSOCKET) {
                try {
                    WebSocketMediaReader socket = new WebSocketMediaReader(source, ffmpeg.stdin(),
                            TlsTrust.context(settings));
                    currentSocket = socket;
                    if (closed || givenUp != null) {
                        return false;
                    }
                    socket.open(CONNECT_TIMEOUT);
                } catch (IOException e) {
                    lastExit = e.getMessage();
                    endedCleanly = false;
                    return false;
                }
            } else if (source.kind() == PullSource.Kind.HLS) {
                HlsFeed feed = new HlsFeed(http, source.target(), source.headers(), ffmpeg.stdin(), closing);
                hls = new Thread(() -> {
                    try {
                        feed.run();
                    } catch (IOException e) {
                        feedError[0] = source.redact(e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "hls-" + streamId);
                hls.setDaemon(true);
                hls.start();
            }
            boolean gapPending = lastPts != Long.MIN_VALUE; // audio came before: this is a comeback
            DecoderProcess.Frame frame;
            while ((frame = ffmpeg.next()) != null) {
                if (closed || givenUp != null) {
                    return flowed;
                }
                deliver(frame, gapPending);
                gapPending = false;
                flowed = true;
                if (status.state() != PullState.LIVE) {
                    setStatus(PullState.LIVE, "", null, 0);
                }
            }
            int code = ffmpeg.exitCode();
            if (hls != null) {
                hls.join(5_000);
            }
            String feedFailed = feedError[0] != null ? feedError[0]
                    : relay != null && relay.error() != null ? source.redact(relay.error()) : null;
            endedCleanly = code == 0 && feedFailed == null;
            WebSocketMediaReader socket = currentSocket;
            String exit = feedFailed != null ? feedFailed
                    : code == 0 ? "the source ended the stream" : ffmpeg.describeExit(code);
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
            if (hls != null) {
                hls.interrupt();
            }
            if (relay != null) {
                relay.close();
            }
            current = null;
        }
    }

    /**
     * What ffmpeg reads, with its input options added to {@code options}. ffmpeg never sees a host name nor a
     * credential it does not need: HLS and websockets come in on {@code pipe:0} (livecap fetches them, checking every
     * address); RTMP and SRT get the already checked {@code address} (so DNS cannot answer differently for ffmpeg),
     * and TLS the name for SNI and the certificate check ({@code -verifyhost}). {@code -protocol_whitelist} lets
     * ffmpeg open only what this input needs.
     */
    private String ffmpegInput(List<String> options, InetAddress address, RtmpRelay relay) {
        if (source.kind() == PullSource.Kind.WEBSOCKET || source.kind() == PullSource.Kind.HLS) {
            options.addAll(List.of("-protocol_whitelist", "pipe", "-f",
                    source.kind() == PullSource.Kind.HLS ? "mpegts" : source.wsFormat()));
            return "pipe:0";
        }
        if (relay != null) { // RTMP(S): plain RTMP to the relay on loopback, which does TLS and puts the key in
            options.addAll(List.of("-protocol_whitelist", "rtmp,tcp", "-rw_timeout", RW_TIMEOUT_US));
            return relay.localUrl();
        }
        URI target = source.target();
        options.addAll(List.of("-protocol_whitelist", "srt,udp"));
        String literal = address.getHostAddress().contains(":") ? "[" + address.getHostAddress() + "]"
                : address.getHostAddress();
        return target.getScheme() + "://" + literal + (target.getPort() > 0 ? ":" + target.getPort() : "")
                + (target.getRawPath() == null ? "" : target.getRawPath())
                + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
    }

    /** The port a URL connects to (its default by scheme when it names none). */
    static int port(URI url) {
        if (url.getPort() > 0) {
            return url.getPort();
        }
        return switch (url.getScheme().toLowerCase(java.util.Locale.ROOT)) {
            case "https", "wss" -> 443;
            case "http", "ws" -> 80;
            case "rtmps" -> 443;
            case "rtmp" -> 1935;
            default -> 0;
        };
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
        lastAudioAtMs = now;
        listener.onAudio(new Chunk(pts, now, frame.pcm()));
    }
}
