package io.livecap.session;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session holds a recogniser (a pocketsphinx decoder, ~87 MB) only while its stream has audio: none for a source
 * that only sent {@code start}, one from the first audio, none again once the stream has been quiet for
 * {@code limits.recognizer_idle_seconds}, and a fresh one when audio resumes, on the same timeline.
 */
class IdleRecognizerTest {

    private static final int IDLE_SESSIONS = 20;
    private static final int IDLE_SECONDS = 2;
    private static final int RATE = 16_000;
    /** Part one ends in the pause after the third sentence (11.50-12.35 s), part two in the one after the sixth. */
    private static final int SPLIT_MS = 12_000;
    private static final int END_MS = 24_700;
    private static final String FIRST = "the committee will meet on tuesday to discuss the new budget the president"
            + " said the government would raise taxes next year students should read the first three chapters"
            + " before the next lecture";
    private static final String SECOND = "the city council approved a plan to build a new public library scientists"
            + " have found evidence of water on the surface of mars the company reported strong sales in the last"
            + " quarter of the year";
    private static LivecapNode node;
    private static WavAudio lecture;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(Map.of("limits.recognizer_idle_seconds",
                String.valueOf(IDLE_SECONDS))), TestEngines.pocketsphinx());
        lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void sessionsThatOnlySentStartHoldNoRecognizerUntilTheirAudioComes() throws Exception {
        List<IngestClient> clients = new ArrayList<>();
        try {
            Memory before = Memory.now();
            for (int i = 0; i < IDLE_SESSIONS; i++) {
                IngestClient client = new IngestClient(node.url("/v1/ingest/idle-" + i));
                client.connect(10_000);
                client.start(new AudioFeeder().startMessage(AudioFeeder.of(new short[0], RATE, 1)), 10_000);
                clients.add(client);
            }
            for (int i = 0; i < IDLE_SESSIONS; i++) {
                String id = "idle-" + i;
                await(id + " is live", 30_000, () -> node.sessions().get(id)
                        .map(s -> s.state() == SessionState.LIVE).orElse(false));
            }
            Memory idle = Memory.now();
            assertEquals(0, node.sessions().recognizersOpen(), "a source that only sent start costs no recogniser");
            assertEquals(0, health().path("recognizers_open").asInt(-1));
            assertTrue(metrics().contains("livecap_recognizers_open 0.0"), "the count is a metric");
            System.out.printf("%d sessions that only sent start: RSS %+d MB, heap %+d MB (%.1f MB RSS each)%n",
                    IDLE_SESSIONS, idle.rssMb - before.rssMb, idle.heapMb - before.heapMb,
                    (idle.rssMb - before.rssMb) / (double) IDLE_SESSIONS);
            // an ~87 MB decoder each would be 1.7 GB; threads, buffers and the JVM's own growth stay far below
            assertTrue(idle.rssMb - before.rssMb < IDLE_SESSIONS * 15L, "idle sessions grew RSS by "
                    + (idle.rssMb - before.rssMb) + " MB");

            int talking = 3; // the first audio of a session opens its recogniser, and only its own
            byte[] chunk = bytes(Arrays.copyOf(lecture.samples(), RATE / 10));
            long[] pts = {0};
            // audio keeps coming (about real time) until all three are open: a decoder can take seconds to load
            // on a busy machine, longer than the idle time after one short burst
            await(talking + " recognisers open", 60_000, () -> {
                for (int i = 0; i < talking; i++) {
                    clients.get(i).sendChunk(pts[0], chunk, chunk.length);
                }
                pts[0] += 9_000;
                return node.sessions().recognizersOpen() == talking;
            });
            Memory withAudio = Memory.now();
            System.out.printf("%d of them sent audio: %d recognisers open, RSS %+d MB more (%.1f MB each)%n",
                    talking, talking, withAudio.rssMb - idle.rssMb, (withAudio.rssMb - idle.rssMb) / (double) talking);
            assertEquals(talking, health().path("recognizers_open").asInt(-1));
            assertTrue(metrics().contains("livecap_recognizers_open " + talking + ".0"));

            await("quiet streams release their recognisers", 30_000, () -> node.sessions().recognizersOpen() == 0);
            assertTrue(node.sessions().get("idle-0").isPresent(), "the session itself goes on");
        } finally {
            clients.forEach(IngestClient::close);
        }
        await("every session ended", 30_000, () -> node.sessions().live().isEmpty());
        assertEquals(0, node.sessions().recognizersOpen());
    }

    @Test
    void aLongSilenceInTheMiddleReleasesTheRecognizerAndTheCaptionsStayOnOneTimeline() throws Exception {
        String id = "pause";
        long ptsStart = 1_000_000;
        short[] first = Arrays.copyOfRange(lecture.samples(), 0, SPLIT_MS * RATE / 1000);
        short[] second = Arrays.copyOfRange(lecture.samples(), SPLIT_MS * RATE / 1000, END_MS * RATE / 1000);
        AudioFeeder feeder = new AudioFeeder().ptsStart(ptsStart);
        try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/" + id));
             IngestClient source = new IngestClient(node.url("/v1/ingest/" + id))) {
            captions.connect(10_000);
            source.connect(10_000);
            source.start(feeder.startMessage(AudioFeeder.of(first, RATE, 1)), 10_000);
            feeder.feedChunks(AudioFeeder.of(first, RATE, 1), source, false);
            await("the first audio opens a recogniser", 30_000, () -> node.sessions().recognizersOpen() == 1);
            await("the silence releases it", 60_000, () -> node.sessions().recognizersOpen() == 0);
            List<Caption> beforePause = captions.finals();
            // the third sentence (7.6-11.5 s) had no silence after it long enough to end it: the release did
            assertTrue(beforePause.stream().anyMatch(c -> c.startMs() > 7_000),
                    "releasing the recogniser sent the final of the utterance it had open: " + beforePause);

            // the source resumes where its clock was: same pts line, no gap in the audio
            new AudioFeeder().ptsStart(feeder.ptsOf(first.length, RATE))
                    .feedChunks(AudioFeeder.of(second, RATE, 1), source, true);
            captions.awaitEos(120_000);
            await("ending the stream closes its recogniser", 30_000, () -> node.sessions().recognizersOpen() == 0
                    && node.sessions().get(id).isEmpty());

            List<Caption> finals = captions.finals();
            List<Caption> afterPause = finals.subList(beforePause.size(), finals.size());
            assertFalse(afterPause.isEmpty(), "the second part was captioned");
            String firstText = String.join(" ", beforePause.stream().map(Caption::text).toList());
            String secondText = String.join(" ", afterPause.stream().map(Caption::text).toList());
            assertTrue(WordErrorRate.of(FIRST, firstText) <= 0.15, "before the pause: " + firstText);
            assertTrue(WordErrorRate.of(SECOND, secondText) <= 0.15, "after the pause: " + secondText);

            long lastSeq = -1;
            for (Caption c : captions.captions()) {
                assertTrue(lastSeq < 0 || c.seq() == lastSeq + 1, "seq goes on by one: " + lastSeq + " then " + c);
                lastSeq = c.seq();
                assertEquals(feeder.ptsOf(c.startMs() * RATE / 1000, RATE), c.startPts(),
                        "start_pts is the sender's pts of the caption's first sample: " + c);
            }
            for (int i = 1; i < finals.size(); i++) {
                assertTrue(finals.get(i).utterance() >= finals.get(i - 1).utterance(), "utterances in order");
                assertTrue(finals.get(i).startMs() >= finals.get(i - 1).startMs(), "start in order");
            }
            assertTrue(afterPause.get(0).utterance() > beforePause.get(beforePause.size() - 1).utterance(),
                    "the fresh recogniser's first utterance numbers on");
            assertTrue(beforePause.stream().allMatch(c -> c.endMs() <= SPLIT_MS), "part one: " + beforePause);
            // the fourth sentence starts at 12.35 s of the stream's audio, not at 0 of the new recogniser's
            long resumedAt = afterPause.get(0).startMs();
            assertTrue(resumedAt >= SPLIT_MS && resumedAt <= 12_350 + 500, "first caption after the pause at "
                    + resumedAt + " ms");
            assertTrue(afterPause.stream().allMatch(c -> c.endMs() <= END_MS + 200), "part two: " + afterPause);
        }
    }

    private static byte[] bytes(short[] samples) {
        byte[] out = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            out[2 * i] = (byte) samples[i];
            out[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        return out;
    }

    private static JsonNode health() throws Exception {
        return Json.MAPPER.readTree(get("/healthz"));
    }

    private static String metrics() throws Exception {
        return get("/metrics");
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + node.port() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), path);
        return response.body();
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what);
            }
            try {
                Thread.sleep(100); // polling a condition with a deadline, not waiting for time to pass
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** This JVM's resident memory and used heap (after a collection), in MB. */
    private record Memory(long rssMb, long heapMb) {

        static Memory now() throws IOException {
            System.gc();
            Runtime runtime = Runtime.getRuntime();
            long rssKb = -1;
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    rssKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new Memory(rssKb >> 10, (runtime.totalMemory() - runtime.freeMemory()) >> 20);
        }
    }
}
