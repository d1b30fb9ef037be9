package io.livecap.ingest;

/**
 * One piece of a stream's media as it arrived: its pts in the source's clock, when it arrived, and its bytes
 * (interleaved little-endian 16-bit PCM for {@code pcm_s16le}).
 */
public record Chunk(long pts, long receivedEpochMs, byte[] payload) {
}
