package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.captions.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.AudioHealth;
import io.livecap.audio.WavAudio;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.Sox;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import io.livecap.captions.Caption;
import io.livecap.testkit.HeldOutSpeech;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken stereo through the real ingest path: livecap notices, says so to the operator and the subscribers, repairs
 * it, and the captions stay good; healthy audio raises no alarm.
 */
class AudioHealthEndToEndTest {

    /** Speech starts 0.2 s into the lecture; "within 3 s of speech" is measured on the stream's own clock. */
    private static final long SPEECH_ONSET_MS = 200;

    @TempDir
    static Path dir;
    private static LivecapNode node;
    private static String reference;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx());
        reference = SharedAudio.transcript(SharedAudio.LECTURE);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static WavAudio variant(String name, String... remix) throws Exception {
        return WavAudio.read(Sox.run(SharedAudio.file(SharedAudio.LECTURE), dir.resolve(name + ".wav"), remix));
    }

    private static StreamRun feed(String id, WavAudio audio, String strategy) throws Exception {
        StreamRun run = new StreamRun(node, id, new AudioFeeder().channelStrategy(strategy));
        AudioFeeder.Source source = AudioFeeder.of(audio.samples(), audio.sampleRate(), audio.channels());
        return run.open(source).feedAll(source);
    }

    private static List<JsonNode> healthEvents(StreamRun run) {
        return run.captions().received().stream().map(CaptionClient.Received::json)
                .filter(j -> j.path("type").asText().equals("audio_health")).toList();
    }

    private static HeldOutSpeech news;
    private static StreamRun cleanNews;

    /** The held-out newscast, and its captions from the clean mono recording, made once. */
    private static synchronized HeldOutSpeech news() throws Exception {
        if (news == null) {
            news = HeldOutSpeech.news(dir);
            cleanNews = feed("news-clean", news.left(), 1);
        }
        return news;
    }

    private static StreamRun feed(String id, short[] samples, int channels) throws Exception {
        StreamRun run = new StreamRun(node, id, new AudioFeeder());
        AudioFeeder.Source source = AudioFeeder.of(samples, HeldOutSpeech.RATE, channels);
        return run.open(source).feedAll(source);
    }

    /**
     * The repair must not cost the words spoken while it was being decided: the first final starts where the speech
     * does and holds its first word, and the whole is as good as the clean mono recording.
     */
    private static void assertNoWordsLost(String name, HeldOutSpeech speech, StreamRun clean, StreamRun run) {
        double cleanWer = WordErrorRate.of(speech.reference(), clean.finalText());
        double wer = WordErrorRate.of(speech.reference(), run.finalText());
        Caption first = run.finals().get(0);
        assertEquals(run.sentPtsAt(first.startMs()), first.startPts(), "the timing map still maps the held audio");
        System.out.printf("%s: speech onset %d ms, first final at %d ms \"%s\"; WER %.3f (clean mono %.3f)%n", name,
                speech.onsetMs(), first.startMs(), first.text(), wer, cleanWer);
        assertTrue(Math.abs(first.startMs() - speech.onsetMs()) <= 300,
                "first final at " + first.startMs() + " ms for speech at " + speech.onsetMs() + " ms: " + first.text());
        // the word as recognised: captions are cased and punctuated ("Good", "news.")
        String firstWord = first.words().get(0).word().toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}']", "");
        assertEquals(speech.firstWord(), firstWord, first.text());
        assertTrue(wer <= cleanWer + 0.02, name + ": WER " + wer + " against " + cleanWer + " for the clean mono file: "
                + run.finalText());
    }

    @Test
    void phaseInvertedFromTheFirstSampleLosesNoWords() throws Exception {
        HeldOutSpeech speech = news();
        StreamRun run = feed("news-inverted", speech.withRight(HeldOutSpeech.inverted(speech.left())).interleaved(), 2);
        assertEquals("phase_inverted", healthEvents(run).get(0).path("kind").asText(), healthEvents(run).toString());
        assertNoWordsLost("inverted from the first sample", speech, cleanNews, run);
    }

    @Test
    void deadChannelFromTheFirstSampleLosesNoWords() throws Exception {
        HeldOutSpeech speech = news();
        StreamRun run = feed("news-dead-left", speech.withLeft(HeldOutSpeech.silence(speech.frames())).interleaved(), 2);
        assertNoWordsLost("left dead from the first sample", speech, cleanNews, run);
    }

    /** Each speaker on a microphone of their own: the silent one is waiting for its turn, not dead. */
    @Test
    void twoMicrophoneInterviewCaptionsAsWellAsItsMonoSum() throws Exception {
        HeldOutSpeech interview = HeldOutSpeech.interview(dir, 0);
        StreamRun sum = feed("interview-sum", interview.monoSum(), 1);
        StreamRun run = feed("interview", interview.interleaved(), 2);
        double sumWer = WordErrorRate.of(interview.reference(), sum.finalText());
        double wer = WordErrorRate.of(interview.reference(), run.finalText());
        List<String> kinds = healthEvents(run).stream().map(e -> e.path("kind").asText()).toList();
        System.out.printf("interview, one speaker per channel: WER %.3f (its mono sum %.3f); health events %s%n",
                wer, sumWer, kinds);
        assertTrue(wer <= sumWer + 0.02, "WER " + wer + " against " + sumWer + " for the mono sum: " + kinds);
        assertTrue(kinds.stream().noneMatch(k -> k.endsWith("_dead")), "no channel is dead: " + healthEvents(run));
    }

    @Test
    void invertedRightChannelIsDetectedWithin3sAndRepaired() throws Exception {
        WavAudio inverted = variant("inverted", "remix", "1", "1v-1");
        StreamRun plainSum = feed("inverted-sum", inverted, "sum");
        assertTrue(plainSum.finalText().split(" ").length < 10,
                "premise: the plain mono sum of this audio is (near) silence, got: " + plainSum.finalText());

        StreamRun run = feed("inverted", inverted, null);
        JsonNode event = healthEvents(run).stream().filter(e -> e.path("kind").asText().equals("phase_inverted"))
                .findFirst().orElseThrow(() -> new AssertionError("no phase inversion reported: " + healthEvents(run)));
        assertTrue(event.path("start").asLong() <= SPEECH_ONSET_MS + 3000, event.toString());
        assertTrue(event.path("message").asText().contains("phase inverted"), event.toString());
        double wer = WordErrorRate.of(reference, run.finalText());
        assertTrue(wer <= 0.12, "WER " + wer);
    }

    /** The sum carries a dead channel's partner at -6 dB meanwhile, so "dead" can wait for 20 s without signal. */
    @Test
    void deadLeftChannelIsDetectedAfter20sAndTheRightIsUsed() throws Exception {
        WavAudio deadLeft = variant("dead-left", "remix", "0", "1");
        StreamRun run = feed("dead-left", deadLeft, null);
        JsonNode event = healthEvents(run).stream().filter(e -> e.path("kind").asText().equals("left_dead"))
                .findFirst().orElseThrow(() -> new AssertionError("no dead channel reported: " + healthEvents(run)));
        assertTrue(event.path("start").asLong() <= AudioHealth.DEAD_WINDOW_MS + 1000, event.toString());
        assertEquals("right", event.path("action").asText());
        assertTrue(WordErrorRate.of(reference, run.finalText()) <= 0.12, run.finalText());
    }

    @Test
    void healthyDualMonoAndRealStereoRaiseNoAlarm() throws Exception {
        for (String[] remix : List.of(new String[] {"remix", "1", "1"},
                new String[] {"remix", "1", "1v0.7", "delay", "0", "0.0005"})) {
            WavAudio stereo = variant("healthy-" + remix.length, remix);
            StreamRun run = feed("healthy-" + remix.length, stereo, null);
            List<String> kinds = healthEvents(run).stream().map(e -> e.path("kind").asText()).toList();
            assertEquals(List.of("ok"), kinds, "one event, the healthy initial state, for " + Arrays.toString(remix));
            assertTrue(WordErrorRate.of(reference, run.finalText()) <= 0.10);
        }
    }

    @Test
    void operatorForcesSwapMidStreamAndItIsAppliedAndReported() throws Exception {
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        short[] clip = Arrays.copyOf(lecture.samples(), 8 * 16_000);
        short[] stereo = new short[clip.length * 2];
        for (int i = 0; i < clip.length; i++) {
            stereo[2 * i] = (short) (clip[i] / 3); // left and right swapped at the source: the quiet one on the left
            stereo[2 * i + 1] = clip[i];
        }
        StreamRun run = new StreamRun(node, "swap", new AudioFeeder().realtime(true));
        AudioFeeder.Source source = AudioFeeder.of(stereo, 16_000, 2);
        run.open(source);
        HttpClient http = HttpClient.newHttpClient();
        Thread operator = new Thread(() -> {
            try {
                while (node.sessions().get("swap").map(s -> s.audioMs() < 4_000).orElse(true)) {
                    Thread.onSpinWait(); // waits for the stream to reach 4 s; the feeder paces the audio
                }
                HttpResponse<String> put = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + node.port() + "/v1/streams/swap/channel-strategy"))
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"strategy\":\"swap\"}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(202, put.statusCode(), put.body());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        operator.start();
        run.feedAll(source);
        operator.join();
        JsonNode event = healthEvents(run).stream().filter(e -> e.path("kind").asText().equals("strategy"))
                .findFirst().orElseThrow(() -> new AssertionError("no strategy event: " + healthEvents(run)));
        assertEquals("swap", event.path("action").asText());
        assertEquals("swap", event.path("requested").asText());
        assertTrue(event.path("start").asLong() >= 4_000 && event.path("start").asLong() <= 5_000, event.toString());
    }

    @Test
    void healthApiShowsTheStateAndRejectsUnknownStrategies() throws Exception {
        WavAudio inverted = variant("inverted-api", "remix", "1", "1v-1");
        StreamRun run = new StreamRun(node, "api", new AudioFeeder());
        AudioFeeder.Source source = AudioFeeder.of(inverted.samples(), inverted.sampleRate(), 2);
        run.open(source);
        run.source().sendChunk(0, new byte[0], 0);
        HttpClient http = HttpClient.newHttpClient();
        URI strategy = URI.create("http://127.0.0.1:" + node.port() + "/v1/streams/api/channel-strategy");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(strategy)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"strategy\":\"mono\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("invert-right"), "the error lists the valid strategies: " + bad.body());
        new AudioFeeder().feedChunks(source, run.source(), false);
        URI health = URI.create("http://127.0.0.1:" + node.port() + "/v1/streams/api/health");
        JsonNode snapshot;
        do { // the session works through its backlog; the snapshot reflects the last judged window
            snapshot = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(health).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
        } while (!snapshot.path("state").asText().equals("phase_inverted"));
        assertEquals("invert-right", snapshot.path("effective").asText());
        assertTrue(snapshot.path("levels").path("correlation").asDouble() < -0.9, snapshot.toString());
        run.source().eos();
        run.captions().awaitEos(180_000); // the file was sent at once: its 61 s are decoded after, slowly on a busy box
    }
}
