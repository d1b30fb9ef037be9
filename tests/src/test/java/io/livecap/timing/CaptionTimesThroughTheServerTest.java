package io.livecap.timing;

import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every caption's three times come from the timing map, exactly: with a scripted engine the word times are known,
 * so {@code start}, {@code end} and {@code start_pts} can be checked to the tick across the whole server, through
 * the ingest websocket, 48 kHz stereo conversion and an MPEG-TS clock that wraps at 2^33 mid-stream.
 */
class CaptionTimesThroughTheServerTest {

    @Test
    void captionTimesAreTheScriptedWordTimesMappedThroughTheSourceClock() throws Exception {
        ScriptedSpeechEngine engine = ScriptedSpeechEngine.of(
                "the@300-420 committee@420-900 will@900-1100 meet@1100-1500",
                "on@4200-4350 tuesday@4350-5000");
        long ptsStart = (1L << 33) - 3 * 90_000; // wraps 3 s in, between the two utterances
        AudioFeeder feeder = new AudioFeeder().ptsStart(ptsStart).timescale(90_000).ptsBits(33);
        AudioFeeder.Source silence = AudioFeeder.of(new short[48_000 * 2 * 7], 48_000, 2);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(), engine)) {
            StreamRun run = new StreamRun(node, "scripted", feeder);
            run.open(silence).feedAll(silence);
            List<Caption> finals = run.finals();
            // sentence case and punctuation as captions.punctuation: rules (the default) gives them
            assertEquals(List.of("The committee will meet.", "On Tuesday."),
                    finals.stream().map(Caption::text).toList());
            assertEquals(300, finals.get(0).startMs());
            assertEquals(1500, finals.get(0).endMs());
            assertEquals(4200, finals.get(1).startMs());
            assertEquals(ptsStart + 300 * 90, finals.get(0).startPts());
            assertEquals((ptsStart + 4200 * 90) % (1L << 33), finals.get(1).startPts(), "wrapped as the source wraps");
            for (Caption fin : finals) { // arrival time: after the client sent that chunk, over loopback
                long sentAt = run.sentEpochAt(fin.startMs());
                assertTrue(fin.startEpoch() >= sentAt && fin.startEpoch() - sentAt < 2_000,
                        "start_epoch " + fin.startEpoch() + " for a chunk sent at " + sentAt);
            }
        }
    }
}
