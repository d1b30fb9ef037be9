package io.livecap.store;

import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A whole node on PostgreSQL: finals stored there are replayed by the next node on it, and seq numbers on. */
class PostgresNodeTest {

    @Test
    void finalsOnPostgresOutliveTheNodeAndTheNextOneNumbersOn() throws Exception {
        String url = TestPostgres.freshUrl();
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 12 * 16_000);
        AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
        List<Caption> first;
        try (LivecapNode node = LivecapNode.start(TestConfig.onStore(url, Map.of()), TestEngines.pocketsphinx())) {
            first = new StreamRun(node, "pg-ev", new AudioFeeder()).open(audio).feedAll(audio).finals();
            assertTrue(first.size() >= 2, "need a few finals, got " + first.size());
        }
        try (LivecapNode node = LivecapNode.start(TestConfig.onStore(url, Map.of()), TestEngines.pocketsphinx())) {
            try (CaptionClient replay = new CaptionClient(node.url("/v1/captions/pg-ev?from_seq=0"))) {
                replay.connect(5_000);
                replay.awaitEos(10_000);
                assertEquals(first, replay.finals().subList(0, first.size()), "stored in PostgreSQL, replayed");
            }
            AudioFeeder.Source again = AudioFeeder.of(clip, 16_000, 1); // a source is read once
            List<Caption> second = new StreamRun(node, "pg-ev", new AudioFeeder()).open(again).feedAll(again)
                    .finals();
            assertTrue(!second.isEmpty(), "the second run has finals");
            assertTrue(second.get(0).seq() > first.get(first.size() - 1).seq(), "seq numbers on: " + second);
        }
    }
}
