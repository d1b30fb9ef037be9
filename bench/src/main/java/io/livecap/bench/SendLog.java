package io.livecap.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * When each chunk of a stream left the sender: the benchmark's clock. Latencies count from the send time of the
 * chunk that carried a sample; {@code start_epoch} is checked against that time plus the sample's offset in the
 * chunk, which is how the contract defines it on the server's side.
 */
final class SendLog {

    private record Sent(int frames, long sentEpochMs) {
    }

    private final int sampleRate;
    private final ConcurrentSkipListMap<Long, Sent> chunks = new ConcurrentSkipListMap<>();

    SendLog(int sampleRate) {
        this.sampleRate = sampleRate;
    }

    void sent(long firstFrame, int frames, long sentEpochMs) {
        chunks.put(firstFrame, new Sent(frames, sentEpochMs));
    }

    /** When the chunk holding the sample at {@code audioMs} was sent. */
    long sentEpochMs(long audioMs) {
        return chunk(frameAt(audioMs)).getValue().sentEpochMs();
    }

    /** When the sample at {@code audioMs} would be stamped by a receiver that got its chunk the moment it was sent. */
    long sampleEpochMs(long audioMs) {
        long frame = frameAt(audioMs);
        Map.Entry<Long, Sent> chunk = chunk(frame);
        return chunk.getValue().sentEpochMs() + (frame - chunk.getKey()) * 1000 / sampleRate;
    }

    private long frameAt(long audioMs) {
        return audioMs * sampleRate / 1000;
    }

    private Map.Entry<Long, Sent> chunk(long frame) {
        Map.Entry<Long, Sent> chunk = chunks.floorEntry(frame);
        if (chunk == null) {
            throw new IllegalArgumentException("no chunk holds frame " + frame + " (nothing sent before it)");
        }
        return chunk;
    }
}
