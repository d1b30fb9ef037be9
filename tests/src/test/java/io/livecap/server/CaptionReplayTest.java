package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A subscriber that reconnects with from_seq gets every final it missed, exactly once, in order. */
class CaptionReplayTest {

    @Test
    void reconnectingWithFromSeqReplaysTheMissedFinalsThenEos() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 16 * 16_000);
        try (LivecapNode node = LivecapNode.start(TestConfig.local(),
                TestEngines.pocketsphinx())) {
            StreamRun run = new StreamRun(node, "replay", new AudioFeeder());
            AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
            run.open(audio).feedAll(audio);
            List<Caption> finals = run.finals();
            assertTrue(finals.size() >= 3, "need a few finals, got " + finals.size());
            long missedAfter = finals.get(0).seq();
            try (CaptionClient late = new CaptionClient(node.url("/v1/captions/replay?from_seq=" + missedAfter))) {
                late.connect(5_000);
                late.awaitEos(10_000);
                List<Caption> replayed = late.finals();
                assertEquals(finals.subList(1, finals.size()), replayed);
                assertTrue(late.captions().stream().allMatch(Caption::isFinal), "replay holds finals only");
            }
        }
    }
}
