package io.livecap.client;

import io.livecap.ingest.AudioFileReader;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * Streams PCM to an ingest websocket as an encoder would: a start message, then chunks of {@code chunkMs} with pts
 * counted from {@code ptsStart} in {@code timescale} units and wrapped at {@code ptsBits}, then eos.
 * With {@code realtime} each chunk leaves when its audio would have been captured; otherwise as fast as possible.
 */
public final class AudioFeeder {

    /** Where the PCM comes from: interleaved 16-bit frames. */
    public interface Source {
        int sampleRate();

        int channels();

        /** Fills the buffer with whole frames; returns bytes read or -1 at the end. */
        int read(byte[] buffer) throws IOException;
    }

    /** Told about every chunk as it is sent (a benchmark's clock). */
    public interface ChunkListener {
        void sent(long firstFrame, int frames, long pts, long sentEpochMs);
    }

    private int chunkMs = 100;
    private long ptsStart;
    private long timescale = 90_000;
    private int ptsBits = 64;
    private boolean realtime;
    private String language = "en-US";
    private String channelStrategy;
    private ChunkListener listener = (first, frames, pts, at) -> {
    };

    public AudioFeeder chunkMs(int ms) {
        if (ms < 1 || ms > 10_000) {
            throw new IllegalArgumentException("chunk length must be 1-10000 ms, got " + ms);
        }
        this.chunkMs = ms;
        return this;
    }

    public AudioFeeder ptsStart(long pts) {
        this.ptsStart = pts;
        return this;
    }

    public AudioFeeder timescale(long ticksPerSecond) {
        this.timescale = ticksPerSecond;
        return this;
    }

    public AudioFeeder ptsBits(int bits) {
        this.ptsBits = bits;
        return this;
    }

    public AudioFeeder realtime(boolean realtime) {
        this.realtime = realtime;
        return this;
    }

    public AudioFeeder language(String language) {
        this.language = language;
        return this;
    }

    /** Asks the server for a channel strategy on this stream (auto, sum, left, right, invert-right, swap). */
    public AudioFeeder channelStrategy(String strategy) {
        this.channelStrategy = strategy;
        return this;
    }

    public AudioFeeder listener(ChunkListener listener) {
        this.listener = listener;
        return this;
    }

    /** The start message for this source. */
    public Map<String, Object> startMessage(Source source) {
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("type", "start");
        start.put("codec", "pcm_s16le");
        start.put("sample_rate", source.sampleRate());
        start.put("channels", source.channels());
        start.put("timescale", timescale);
        start.put("pts_bits", ptsBits);
        start.put("language", language);
        if (channelStrategy != null) {
            start.put("channel_strategy", channelStrategy);
        }
        return start;
    }

    /** The pts of frame {@code frame}, as the source's clock would stamp it. */
    public long ptsOf(long frame, int sampleRate) {
        long pts = ptsStart + Math.floorDiv(frame * timescale, sampleRate);
        return ptsBits >= 63 ? pts : Math.floorMod(pts, 1L << ptsBits);
    }

    /** Sends the start message, every chunk and eos; returns the number of frames sent. */
    public long feed(Source source, IngestClient client) throws IOException, InterruptedException {
        client.start(startMessage(source), 10_000);
        return feedChunks(source, client, true);
    }

    /** Sends the chunks (after a start the caller sent), then eos if asked. */
    public long feedChunks(Source source, IngestClient client, boolean eos) throws IOException {
        int frameBytes = source.channels() * 2;
        int framesPerChunk = Math.max(1, source.sampleRate() * chunkMs / 1000);
        byte[] buffer = new byte[framesPerChunk * frameBytes];
        long frame = 0;
        long begin = System.nanoTime();
        int n;
        while ((n = source.read(buffer)) > 0) {
            if (realtime) {
                long due = begin + frame * 1_000_000_000L / source.sampleRate();
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait); // pacing, like a capture card's clock
                }
            }
            long pts = ptsOf(frame, source.sampleRate());
            long sentAt = System.currentTimeMillis();
            client.sendChunk(pts, buffer, n);
            listener.sent(frame, n / frameBytes, pts, sentAt);
            frame += n / frameBytes;
        }
        if (eos) {
            client.eos();
        }
        return frame;
    }

    public static Source of(AudioFileReader reader) {
        return new Source() {
            public int sampleRate() {
                return reader.sampleRate();
            }

            public int channels() {
                return reader.channels();
            }

            public int read(byte[] buffer) throws IOException {
                return reader.read(buffer);
            }
        };
    }

    /** Interleaved samples in memory. */
    public static Source of(short[] samples, int sampleRate, int channels) {
        return new Source() {
            private int position;

            public int sampleRate() {
                return sampleRate;
            }

            public int channels() {
                return channels;
            }

            public int read(byte[] buffer) {
                int count = Math.min(buffer.length / 2, samples.length - position);
                count -= count % channels;
                if (count <= 0) {
                    return -1;
                }
                for (int i = 0; i < count; i++) {
                    short s = samples[position + i];
                    buffer[2 * i] = (byte) s;
                    buffer[2 * i + 1] = (byte) (s >> 8);
                }
                position += count;
                return count * 2;
            }
        };
    }
}
