package io.livecap.console;

import io.livecap.audio.WavAudio;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.HlsServer;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.Sox;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console in a real browser against a real node: speech fed in real time through the ingest websocket shows its
 * captions in the page within 2 s of each final, the meters follow the audio, a phase-inverted feed raises the audio
 * alert, a strategy clicked in the page goes through the REST API and comes back, and a pull that cannot work shows
 * as failed. Each page is saved as a screenshot under tests/target/console-screenshots.
 */
class StreamPagesBrowserTest {

    @TempDir
    static Path dir;
    private static LivecapNode node;
    private static Browser browser;
    private static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.open();
        node = LivecapNode.start(TestConfig.local(Map.of("ingest.pull_retry_first_ms", "100",
                "ingest.pull_retry_max_ms", "300", "ingest.pull_fail_after_attempts", "2")), TestEngines.pocketsphinx());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (node != null) {
            node.close();
        }
    }

    private static String page(String fragment) {
        return "http://127.0.0.1:" + node.port() + "/" + fragment;
    }

    /** The first {@code seconds} of the lecture with sox {@code remix} arguments (dual mono, inverted right...). */
    private static AudioFeeder.Source lecture(String name, int seconds, String... remix) throws Exception {
        List<String> effects = new ArrayList<>(List.of("trim", "0", String.valueOf(seconds), "remix"));
        effects.addAll(List.of(remix));
        WavAudio wav = WavAudio.read(Sox.run(SharedAudio.file(SharedAudio.LECTURE), dir.resolve(name + ".wav"),
                effects.toArray(String[]::new)));
        return AudioFeeder.of(wav.samples(), wav.sampleRate(), wav.channels());
    }

    /** Opens a stream and feeds {@code audio} in real time on another thread, until the caption eos. */
    private static StreamRun opened(String id, AudioFeeder.Source audio, CompletableFuture<StreamRun>[] running)
            throws Exception {
        StreamRun run = new StreamRun(node, id, new AudioFeeder().realtime(true).chunkMs(100)).open(audio);
        running[0] = CompletableFuture.supplyAsync(() -> {
            try {
                return run.feedAll(audio);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return run;
    }

    @Test
    void captionsAppearWithin2sOfTheirFinalAndTheMetersFollowTheAudio() throws Exception {
        browser.go(page("#/stream/console-speech"));
        @SuppressWarnings("unchecked")
        CompletableFuture<StreamRun>[] feeding = new CompletableFuture[1];
        StreamRun run = opened("console-speech", lecture("dual", 20, "1", "1"), feeding);

        // the meters: sampled every 250 ms while the lecture plays, they must show speech and change with it
        browser.await("the stream page to show the live stream", Duration.ofSeconds(20),
                () -> browser.text("s-state").equals("live"));
        Set<String> levels = new HashSet<>();
        double loudest = -200;
        for (int i = 0; i < 16; i++) {
            String rms = browser.attribute("m-left", "data-rms");
            if (rms != null && !rms.isEmpty()) {
                levels.add(rms);
                loudest = Math.max(loudest, Double.parseDouble(rms));
            }
            Thread.sleep(250); // sampling the meter at a fixed rate is the measurement here
        }
        System.out.printf("[console] left meter: %d distinct levels in 4 s, loudest %.1f dBFS%n", levels.size(), loudest);
        assertTrue(levels.size() >= 4, "the meter moves with the audio (at least 2 updates a second): " + levels);
        assertTrue(loudest > -40, "speech shows on the meter: " + loudest + " dBFS");
        assertTrue(!browser.text("m-right").isEmpty() && !browser.text("m-mix").isEmpty(), "right and mix meters too");

        // each final the caption client receives from now on must be in the page within 2 s
        long from = System.currentTimeMillis();
        Set<Long> checked = new HashSet<>();
        long worst = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (checked.size() < 3 && System.nanoTime() < deadline) {
            for (CaptionClient.Received r : run.captions().received()) {
                if (!r.isCaption() || !r.caption().isFinal() || checked.contains(r.caption().seq())
                        || r.arrivedEpochMs() < from) {
                    continue;
                }
                long seq = r.caption().seq();
                String rowId = "final-" + seq;
                browser.await("final " + seq + " in the page", Duration.ofSeconds(5),
                        () -> !browser.text(rowId).isEmpty());
                long shownAfter = System.currentTimeMillis() - r.arrivedEpochMs();
                worst = Math.max(worst, shownAfter);
                assertTrue(browser.text(rowId).endsWith(r.caption().text()), browser.text(rowId));
                assertTrue(shownAfter <= 2000, "final " + seq + " shown " + shownAfter + " ms after the client got it");
                checked.add(seq);
            }
            Thread.sleep(20); // polling the client's received list with the deadline above
        }
        System.out.printf("[console] %d finals each in the page at most %d ms after the caption client had them%n",
                checked.size(), worst);
        assertTrue(checked.size() >= 3, "three finals checked: " + checked);
        assertTrue(browser.text("viewer").length() > 0, "the viewer pane shows the roll-up");
        browser.screenshot("stream");
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/metrics"))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(metrics.contains("livecap_caption_latency_seconds_bucket{final=\"true\""),
                "the latency histogram is exported");
        assertTrue(metrics.contains("livecap_caption_latency_seconds_count{final=\"false\"}"), "partials too");
        feeding[0].get(90, TimeUnit.SECONDS);
    }

    @Test
    void aPhaseInvertedFeedRaisesTheAudioAlertInThePage() throws Exception {
        browser.go(page("#/stream/console-inverted"));
        @SuppressWarnings("unchecked")
        CompletableFuture<StreamRun>[] feeding = new CompletableFuture[1];
        opened("console-inverted", lecture("inverted", 10, "1", "1v-1"), feeding);
        browser.await("the phase alert", Duration.ofSeconds(15),
                () -> browser.text("s-alerts").contains("audio phase_inverted"));
        assertEquals("phase_inverted", browser.text("a-state"));
        // and the node's alert for it, listed on the page with its Acknowledge button
        browser.await("the audio_health alert in the page's alert list", Duration.ofSeconds(15),
                () -> browser.driver().findElements(By.cssSelector("#s-alert-list li")).stream().anyMatch(li ->
                        li.getText().startsWith("audio_health") && li.getText().contains("audio phase_inverted")));
        browser.await("the repair in the event log", Duration.ofSeconds(10),
                () -> browser.text("events").contains("audio_phase_inverted"));
        browser.screenshot("stream-phase-inverted");
        browser.go(page("#/streams"));
        browser.await("the alert on the streams page", Duration.ofSeconds(10),
                () -> browser.css("#row-console-inverted .c-alerts").contains("audio phase_inverted"));
        feeding[0].get(60, TimeUnit.SECONDS);
    }

    @Test
    void aStrategyClickedInThePageChangesItThroughTheApi() throws Exception {
        browser.go(page("#/stream/console-strategy"));
        @SuppressWarnings("unchecked")
        CompletableFuture<StreamRun>[] feeding = new CompletableFuture[1];
        opened("console-strategy", lecture("strategy", 12, "1", "1"), feeding);
        browser.await("the stream live with auto's sum", Duration.ofSeconds(20),
                () -> browser.text("s-strategy").equals("sum"));

        new Select(browser.driver().findElement(By.id("strategy"))).selectByVisibleText("swap");
        browser.driver().findElement(By.id("strategy-set")).click();

        browser.await("the API's answer in the page", Duration.ofSeconds(10),
                () -> browser.text("control-result").startsWith("PUT /v1/streams/console-strategy/channel-strategy: 202"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        String effective = "";
        while (!effective.equals("swap") && System.nanoTime() < deadline) {
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port()
                    + "/v1/streams/console-strategy/health")).build(), HttpResponse.BodyHandlers.ofString());
            effective = Json.MAPPER.readTree(health.body()).path("effective").asText();
            Thread.sleep(100); // polling the API with a deadline
        }
        assertEquals("swap", effective, "the strategy changed through the REST API");
        browser.await("the page to show it in force", Duration.ofSeconds(5),
                () -> browser.text("s-strategy").equals("swap"));
        browser.await("the operator's request in the event log", Duration.ofSeconds(5),
                () -> browser.text("events").contains("audio_strategy"));
        feeding[0].get(60, TimeUnit.SECONDS);
    }

    @Test
    void aPullThatCannotWorkShowsAsFailed() throws Exception {
        try (HlsServer hls = HlsServer.start(dir)) {
            browser.go(page("#/streams"));
            browser.await("the streams page", Duration.ofSeconds(10), () -> browser.text("nav-streams").length() > 0);
            browser.driver().findElement(By.id("pull-id")).sendKeys("console-broken");
            browser.driver().findElement(By.id("pull-url")).sendKeys(hls.url("missing.m3u8"));
            browser.driver().findElement(By.id("pull-start")).click();
            browser.await("the pull accepted", Duration.ofSeconds(10),
                    () -> browser.text("pull-result").startsWith("POST /v1/streams: 201"));
            browser.await("the pull failed", Duration.ofSeconds(30),
                    () -> browser.css("#row-console-broken .c-pull").equals("failed"));
            assertTrue(browser.css("#row-console-broken .c-alerts").startsWith("pull failed"),
                    browser.css("#row-console-broken .c-alerts"));
            browser.screenshot("streams");
        }
    }
}
