package io.livecap.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.node.LivecapNode;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.Flite;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.livecap.lifecycle.ReachSandboxRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A REACH task whose catalog item has {@code enableSpeakerId} gets speaker-change marks although
 * {@code captions.speaker_changes} is off: three flite voices take turns in the event's media; the stored finals
 * carry {@code speaker_change} and {@code >> }, and so does the SRT delivered to the sandbox, which still passes the
 * partner's check.
 */
class ReachSpeakerIdEndToEndTest {

    private static final String[] TURNS = {
        "good evening and welcome to the program. tonight we talk about the new library that opens in the city next"
                + " spring, and what it will offer to families, students and readers of every age.",
        "thank you for having me. the building has three floors, a large room for children, quiet places for"
                + " students to read, and a hall where the town can meet for concerts and lectures.",
        "and when will the doors open? the council said the work should be finished early next summer if the"
                + " weather is good, and the first books will arrive a few weeks before that.",
    };
    private static final String[] VOICES = {"awb", "rms", "slt"};

    @Test
    void aTaskWithEnableSpeakerIdGetsMarkedFinalsAndAssets(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream pcm = new ByteArrayOutputStream();
        for (int turn = 0; turn < TURNS.length; turn++) {
            short[] said = Flite.say(dir, VOICES[turn], TURNS[turn]);
            ByteBuffer bytes = ByteBuffer.allocate(said.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            bytes.asShortBuffer().put(said);
            pcm.write(bytes.array());
        }
        Path media = wav(dir.resolve("turns.wav"), pcm.toByteArray());
        long audioMs = pcm.size() / 32L;
        long audioSeconds = audioMs / 1000 + 1;
        long slotSeconds = audioSeconds + 20; // the whole media once, with room for a late pull on a loaded machine
        SandboxConfig config = SandboxConfig.of(0, 0, 0, (int) slotSeconds, media)
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(12));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            us.enableSpeakerId(true);
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(40), Duration.ofSeconds(slotSeconds)).get(0);
            try (LivecapNode node = LivecapNode.start(ReachSandboxRun.livecapFor(us, "sandboxvendor",
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), TestEngines.pocketsphinx())) {
                await("READY", Duration.ofSeconds(240), () -> us.status(id).equals(Optional.of(TaskStatus.READY)));
                String streamId = "reach-us-" + id;
                List<Caption> finals = node.sessions().hub().store().finalsAfter(streamId, 0);
                List<Caption> marked = finals.stream().filter(Caption::speakerChange).toList();
                System.out.println("REACH enableSpeakerId: " + finals.size() + " finals, marked: "
                        + marked.stream().map(Caption::text).toList());
                // the media loops: each pass has the turns' changes and one more where it starts again
                long passes = (slotSeconds * 1000 + audioMs - 1) / audioMs;
                assertTrue(!marked.isEmpty() && marked.size() <= passes * TURNS.length,
                        "the turns' changes are marked (" + TURNS.length + " per pass of the media, " + passes
                                + " passes at most): " + marked.size());
                for (Caption c : marked) {
                    assertTrue(opensATurn(c), "a mark opens a turn: " + c.text());
                }
                assertTrue(finals.stream().filter(c -> !c.speakerChange()).noneMatch(c -> c.text().contains(">>")));
                List<String> assets = us.captionAssetContents(id);
                assertEquals(1, assets.size(), us.captionAssets(id).toString());
                long markedCues = assets.get(0).lines().filter(l -> l.contains(">> ")).count();
                assertTrue(markedCues >= 1, "the delivered SRT shows the marks:\n" + assets.get(0));
                JsonNode asset = taskReport(sandbox, id).path("captionAsset");
                assertTrue(asset.path("validation").path("valid").asBoolean(), asset.toString());
                assertTrue(us.violations(id).isEmpty(), us.violations(id).toString());
            }
        }
    }

    /**
     * Whether the words after a caption's {@code >> } are how one of the turns begins: two of the first four (of
     * three letters or more, as recognised) among that turn's first twelve words.
     */
    private static boolean opensATurn(Caption c) {
        String text = c.text().toLowerCase(java.util.Locale.ROOT);
        int mark = text.indexOf(">> ");
        if (mark < 0) {
            return false;
        }
        List<String> after = words(text.substring(mark + 3)).stream().limit(4).filter(w -> w.length() >= 3).toList();
        for (String turn : TURNS) {
            List<String> opening = words(turn).stream().limit(12).toList();
            if (after.stream().filter(opening::contains).count() >= 2) {
                return true;
            }
        }
        return false;
    }

    private static List<String> words(String text) {
        return java.util.Arrays.stream(text.split("[^a-z']+")).filter(w -> !w.isEmpty()).toList();
    }

    private static JsonNode taskReport(ReachSandbox sandbox, long id) {
        for (JsonNode region : sandbox.report().path("regions")) {
            for (JsonNode task : region.path("tasks")) {
                if (task.path("id").asLong() == id) {
                    return task;
                }
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report");
    }

    /** 16 kHz mono 16-bit PCM as a WAV file. */
    private static Path wav(Path file, byte[] pcm) throws Exception {
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + pcm.length).put("WAVE".getBytes());
        header.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(16_000)
                .putInt(32_000).putShort((short) 2).putShort((short) 16);
        header.put("data".getBytes()).putInt(pcm.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(header.array());
        out.write(pcm);
        return Files.write(file, out.toByteArray());
    }
}
