package io.livecap.testkit;

import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;

import java.util.List;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * One stream end to end over real sockets: a caption subscriber, then a source feeding audio through the ingest
 * websocket. Remembers when each chunk was sent, so tests can check start_epoch and start_pts.
 */
public final class StreamRun {

    public record SentChunk(long firstFrame, int frames, long pts, long sentEpochMs) {
    }

    private final LivecapNode node;
    private final String streamId;
    private final AudioFeeder feeder;
    private final ConcurrentSkipListMap<Long, SentChunk> sent = new ConcurrentSkipListMap<>();
    private CaptionClient captions;
    private IngestClient source;
    private int sampleRate;
    /** Whom the clients trust on a wss:// node (null: the system's CAs). */
    private javax.net.ssl.SSLContext tls;

    public StreamRun(LivecapNode node, String streamId, AudioFeeder feeder) {
        this.node = node;
        this.streamId = streamId;
        this.feeder = feeder.listener((first, frames, pts, at) -> sent.put(first, new SentChunk(first, frames, pts, at)));
    }

    /** The clients trust what {@code tls} trusts (a node serving TLS with a test CA). */
    public StreamRun trusting(javax.net.ssl.SSLContext tls) {
        this.tls = tls;
        return this;
    }

    /** Subscribes, connects, sends start; returns the ready message's stream. */
    public StreamRun open(AudioFeeder.Source audio) throws Exception {
        sampleRate = audio.sampleRate();
        String key = node.firstAdminKey().orElse(null); // a secured node's admin key; null with auth off
        captions = new CaptionClient(node.url("/v1/captions/" + streamId)).token(key);
        source = new IngestClient(node.url("/v1/ingest/" + streamId)).token(key);
        if (tls != null) {
            captions.trusting(tls);
            source.trusting(tls);
        }
        captions.connect(10_000);
        source.connect(10_000);
        source.start(feeder.startMessage(audio), 10_000);
        return this;
    }

    /** Feeds every chunk and eos, then waits for the caption eos. */
    public StreamRun feedAll(AudioFeeder.Source audio) throws Exception {
        feeder.feedChunks(audio, source, true);
        captions.awaitEos(120_000);
        return this;
    }

    public CaptionClient captions() {
        return captions;
    }

    public IngestClient source() {
        return source;
    }

    public List<Caption> finals() {
        return captions.finals();
    }

    public String finalText() {
        return String.join(" ", finals().stream().map(Caption::text).toList());
    }

    /** The pts the source gave the sample at {@code startMs}. */
    public long sentPtsAt(long startMs) {
        return feeder.ptsOf(startMs * sampleRate / 1000, sampleRate);
    }

    /** When the chunk holding the sample at {@code startMs} was sent, plus the sample's offset in it. */
    public long sentEpochAt(long startMs) {
        long frame = startMs * sampleRate / 1000;
        SentChunk chunk = sent.floorEntry(frame).getValue();
        return chunk.sentEpochMs() + (frame - chunk.firstFrame()) * 1000 / sampleRate;
    }

    /**
     * Waits until the node has taken {@code audioMs} of the stream's audio (fails after 30 s). A test that makes its
     * source vanish calls this first: a vanishing client drops whatever it had not sent yet, which is not the point.
     */
    public static void awaitAudio(LivecapNode node, String streamId, long audioMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (node.sessions().get(streamId).map(s -> s.audioMs() < audioMs).orElse(true)) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError(streamId + " never took " + audioMs + " ms of audio");
            }
            Thread.sleep(20); // polling a condition with a deadline, not waiting for time to pass
        }
    }
}
