package io.livecap.delivery;

import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.store.Database;
import io.livecap.store.JdbcDeliveryCheckpoints;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A recognised lecture, from livecap's ingest websocket to the sandbox's captionUrl, as livecap's own subscriber saw it. */
class KalturaPushEndToEndTest {

    @Test
    void theLecturesCaptionsReachKalturaAsLivecapsOwnSubscriberSawThem() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 30 * 16_000);
        LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0", "server.host",
                "127.0.0.1", "store.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "auth.enabled", "false"));
        try (LivecapNode node = LivecapNode.start(config, TestEngines.pocketsphinx());
             LiveEvent event = LiveEvent.start();
             Database checkpointsDb = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            CaptionHub hub = node.sessions().hub();
            KalturaCaptionPusher pusher = KalturaCaptionPusher.start(hub.feed("lecture"), hub.store(),
                    new JdbcDeliveryCheckpoints(checkpointsDb), event.captionUrl(), event.captionToken(),
                    PushSettings.DEFAULT);
            try {
                StreamRun run = new StreamRun(node, "lecture", new AudioFeeder());
                AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
                long startNanos = System.nanoTime();
                run.open(audio).feedAll(audio);
                PushResult result = pusher.finished().get(30, TimeUnit.SECONDS);
                long tookMs = (System.nanoTime() - startNanos) / 1_000_000;

                assertEquals(PushResult.Outcome.DELIVERED, result.outcome(), result.detail());
                List<Caption> local = run.captions().captions();
                long lastSeq = local.get(local.size() - 1).seq();
                assertTrue(run.finals().size() >= 3, "a few finals to compare, got " + run.finals().size());
                assertEquals(LongStream.rangeClosed(1, lastSeq).boxed().toList(), event.receivedSeqs(),
                        "every seq of the stream, partials too, once, in order");
                assertEquals(run.finals().size(), event.received().path("finals").asInt());
                assertEquals(List.of(), event.duplicates());
                assertTrue(event.received().path("eos").asBoolean());
                assertEquals(lastSeq, result.confirmedSeq());
                long localEosMs = run.captions().received().get(run.captions().received().size() - 1)
                        .arrivedEpochMs();
                long kalturaEosMs = java.time.Instant.parse(event.received().path("last").asText()).toEpochMilli();
                System.out.printf("30 s of lecture: %d captions (%d finals) pushed and confirmed in %d ms; eos"
                        + " reached Kaltura %d ms after livecap's own subscriber%n", lastSeq, run.finals().size(),
                        tookMs, kalturaEosMs - localEosMs);
            } finally {
                pusher.close();
            }
        }
    }
}
