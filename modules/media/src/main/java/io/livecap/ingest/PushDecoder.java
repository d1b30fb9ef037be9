package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * Decodes a pushed compressed stream (the ingest websocket's {@code mpegts}, {@code flv}, {@code aac} (ADTS),
 * {@code ogg} or {@code webm}) through one ffmpeg process into 16 kHz stereo PCM {@link Chunk}s.
 *
 * <p>Each PCM chunk's pts is the container's own timestamp in the stream's {@code timescale}, wrapped at
 * {@code pts_bits}; its epoch is the arrival of the compressed chunk that held it ({@link ArrivalLog}). ADTS has no
 * timestamps: its pts count on from the first chunk's header.
 *
 * <p>{@link #write} never blocks (a Netty event loop calls it): a writer thread feeds ffmpeg's stdin, and
 * {@link #pendingBytes()} is the back-pressure signal. A decoder that dies, exits early, or decodes no audio from
 * {@value #NO_AUDIO_LIMIT_BYTES} bytes or {@value #NO_AUDIO_LIMIT_S} s of input ends the stream with
 * {@link DecodedAudioListener#onFailure}, never a hang.
 */
public final class PushDecoder implements AutoCloseable {

    public static final int NO_AUDIO_LIMIT_BYTES = 2 << 20;
    public static final int NO_AUDIO_LIMIT_S = 10;
    /** A decoder this far behind is stuck, not slow: ffmpeg decodes AAC hundreds of times faster than real time. */
    public static final int MAX_PENDING_BYTES = 16 << 20;
    private static final Logger log = LoggerFactory.getLogger(PushDecoder.class);
    private static final byte[] END_OF_INPUT = new byte[0];
    private static final Map<String, String> DEMUXERS = Map.of(
            "mpegts", "mpegts", "flv", "flv", "aac", "aac", "ogg", "ogg", "webm", "matroska");

    private final String streamId;
    private final String codec;
    private final PtsClock clock;
    private final DecodedAudioListener listener;
    private final ArrivalLog arrivals;
    private final DecoderProcess ffmpeg;
    private final LinkedBlockingQueue<byte[]> toWrite = new LinkedBlockingQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final Thread writer;
    private final Thread reader;
    private volatile boolean inputEnded;
    private volatile boolean closed;
    private volatile String failure;
    private volatile long framesOut;
    private volatile long firstWriteNanos;
    private volatile long firstHeaderPts = Long.MIN_VALUE;
    private long bytesIn;

    private PushDecoder(String streamId, String codec, PtsClock clock, DecodedAudioListener listener)
            throws IOException {
        this.streamId = streamId;
        this.codec = codec;
        this.clock = clock;
        this.listener = listener;
        this.arrivals = new ArrivalLog(streamId, clock);
        this.ffmpeg = DecoderProcess.start(streamId, List.of("-f", DEMUXERS.get(codec)), "pipe:0",
                UnaryOperator.identity());
        this.writer = new Thread(this::writeLoop, "ffmpeg-stdin-" + streamId);
        this.reader = new Thread(this::readLoop, "ffmpeg-stdout-" + streamId);
        writer.setDaemon(true);
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    /**
     * Starts decoding a stream of {@code codec} (one of {@link StreamStart#CONTAINERS}) whose chunk pts headers are in
     * {@code timescale} ticks and wrap at {@code ptsBits}.
     */
    public static PushDecoder start(String streamId, String codec, long timescale, int ptsBits,
                                    DecodedAudioListener listener) throws IOException {
        if (!DEMUXERS.containsKey(codec)) {
            throw new IllegalArgumentException("codec \"" + codec + "\" is not one of " + DEMUXERS.keySet());
        }
        return new PushDecoder(streamId, codec, new PtsClock(timescale, ptsBits), listener);
    }

    /** Queues a compressed chunk for ffmpeg; never blocks. Ignored once the stream has ended or failed. */
    public void write(Chunk compressed) {
        if (inputEnded || failure != null || closed) {
            return;
        }
        if (firstHeaderPts == Long.MIN_VALUE) {
            firstHeaderPts = clock.wrap(compressed.pts());
            firstWriteNanos = System.nanoTime();
        }
        arrivals.add(compressed.pts(), compressed.receivedEpochMs());
        if (pending.addAndGet(compressed.payload().length) > MAX_PENDING_BYTES) {
            fail("decoder is stuck: " + pending.get() + " bytes of " + codec + " input are waiting for it");
            return;
        }
        toWrite.add(compressed.payload());
    }

    /** No more input: ffmpeg drains, then the listener hears {@link DecodedAudioListener#onEnd()}. */
    public void endOfInput() {
        if (!inputEnded) {
            inputEnded = true;
            toWrite.add(END_OF_INPUT);
        }
    }

    /** Compressed bytes written but not yet taken by ffmpeg: pause the source while this is high. */
    public long pendingBytes() {
        return pending.get();
    }

    long pid() {
        return ffmpeg.pid();
    }

    /** Kills ffmpeg and joins the threads; the listener hears nothing more. */
    @Override
    public void close() {
        closed = true;
        toWrite.add(END_OF_INPUT);
        try {
            ffmpeg.close();
            writer.join(5_000);
            if (Thread.currentThread() != reader) { // a listener may close from its callback
                reader.join(5_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void writeLoop() {
        OutputStream stdin = ffmpeg.stdin();
        try (stdin) {
            while (!closed && failure == null) {
                byte[] payload = toWrite.poll(1, TimeUnit.SECONDS);
                if (payload == END_OF_INPUT) {
                    return;
                }
                if (payload != null) {
                    stdin.write(payload);
                    stdin.flush();
                    bytesIn += payload.length;
                    pending.addAndGet(-payload.length);
                }
                checkAudioAppears();
            }
        } catch (IOException e) {
            // ffmpeg is gone: the reader reports why from its exit code
            log.debug("stream {}: ffmpeg stdin closed: {}", streamId, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkAudioAppears() {
        if (framesOut > 0 || bytesIn == 0) {
            return;
        }
        long waitedS = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - firstWriteNanos);
        if (bytesIn >= NO_AUDIO_LIMIT_BYTES || waitedS >= NO_AUDIO_LIMIT_S) {
            fail("no audio decoded from " + bytesIn + " bytes of " + codec + " input in " + waitedS
                    + " s: is it " + codec + " with an audio track? (ffmpeg: " + ffmpeg.lastLine() + ")");
        }
    }

    /** Records why and kills ffmpeg: the reader then reports it, so every callback stays on one thread. */
    private void fail(String message) {
        if (failure == null) {
            failure = message;
            ffmpeg.kill();
        }
    }

    private void readLoop() {
        boolean timestamped = !"aac".equals(codec);
        long nextPts16k = 0;
        try {
            DecoderProcess.Frame frame;
            while ((frame = ffmpeg.next()) != null) {
                // ADTS carries no time (ffmpeg's guesses even repeat the first pts): count samples from the first
                // chunk's header instead
                long pts16k = !timestamped || frame.pts16k() == Long.MIN_VALUE ? nextPts16k : frame.pts16k();
                nextPts16k = pts16k + frame.samples();
                long pts = clock.wrap(clock.ticksOfOutputPts(pts16k) + (timestamped ? 0 : firstHeaderPts));
                framesOut++;
                if (!closed) {
                    listener.onAudio(new Chunk(pts, arrivals.epochOf(pts), frame.pcm()));
                }
            }
            int code = ffmpeg.exitCode();
            if (closed) {
                return;
            }
            if (failure != null) {
                log.warn("stream {}: {}", streamId, failure);
                listener.onFailure(failure);
            } else if (code != 0) {
                String message = ffmpeg.describeExit(code);
                log.warn("stream {}: {}", streamId, message);
                listener.onFailure(message);
            } else if (!inputEnded) {
                String message = "decoder stopped before the end of input: " + ffmpeg.lastLine();
                log.warn("stream {}: {}", streamId, message);
                listener.onFailure(message);
            } else {
                log.debug("stream {}: decoded {} frames of {}", streamId, framesOut, codec);
                listener.onEnd();
            }
        } catch (IOException e) {
            if (!closed) {
                listener.onFailure("decoder output broke: " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("stream {}: decoded audio listener failed; stopping the decoder", streamId, e);
            ffmpeg.kill();
        }
    }
}
