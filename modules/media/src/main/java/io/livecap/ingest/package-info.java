/**
 * Media sources: what arrives on the ingest websocket, what livecap pulls, and how compressed media becomes PCM.
 *
 * <p>Compressed media goes through one ffmpeg process per stream ({@link io.livecap.ingest.DecoderProcess}) and
 * comes out as 16 kHz stereo PCM {@link io.livecap.ingest.Chunk}s that keep the source's own pts:
 * {@link io.livecap.ingest.PushDecoder} for bytes pushed on the ingest websocket (epochs = arrival of the chunk that
 * held the audio), {@link io.livecap.ingest.PullDecoder} for a {@link io.livecap.ingest.PullSource} URL (epochs =
 * when the PCM came out; drops reconnect and are reported as {@link io.livecap.ingest.MediaGap}s). Both speak to a
 * {@link io.livecap.ingest.DecodedAudioListener}.
 *
 * <p>Assumption to revisit when Kaltura documents it: how {@code mediaKey} travels with {@code mediaUrl}
 * ({@link io.livecap.ingest.MediaKeyPlacement}), and that a websocket {@code mediaUrl} carries bare MPEG-TS bytes.
 */
package io.livecap.ingest;
