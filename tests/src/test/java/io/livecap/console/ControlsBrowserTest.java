package io.livecap.console;

import io.livecap.audio.WavAudio;
import io.livecap.client.AudioFeeder;
import io.livecap.client.IngestClient;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.reach.TaskKey;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.Sox;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's controls in a real browser, each going through the REST API: "End session" on a pushed stream ends
 * it (the source gets eos and close 1000 "ended by operator", the page shows it ended), and "Retry delivery" on a
 * REACH task whose captionUrl refused its push (the sandbox's injected fault) restarts the push, which the page then
 * shows confirmed and connected. The pull's source URL on the streams page is shown redacted.
 */
class ControlsBrowserTest {

    @TempDir
    static Path dir;

    @Test
    void endSessionClickedInThePageEndsAPushedStream() throws Exception {
        try (Browser browser = Browser.open();
             LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("ingest.pull_retry_first_ms", "1000",
                     "ingest.pull_retry_max_ms", "2000", "ingest.pull_fail_after_attempts", "100")),
                     TestEngines.pocketsphinx())) {
            WavAudio wav = WavAudio.read(Sox.run(SharedAudio.file(SharedAudio.LECTURE), dir.resolve("end.wav"),
                    "trim", "0", "60"));
            AudioFeeder.Source audio = AudioFeeder.of(wav.samples(), wav.sampleRate(), wav.channels());
            StreamRun run = new StreamRun(node, "console-end", new AudioFeeder().realtime(true).chunkMs(100))
                    .open(audio);
            CompletableFuture<Void> feeding = CompletableFuture.runAsync(() -> {
                try {
                    new AudioFeeder().realtime(true).chunkMs(100).feedChunks(audio, run.source(), true);
                } catch (Exception expected) {
                    // the operator ends the stream long before the minute of audio is sent
                }
            });
            browser.go("http://127.0.0.1:" + node.port() + "/#/stream/console-end");
            browser.await("the stream live", Duration.ofSeconds(20), () -> browser.text("s-state").equals("live"));
            browser.await("a first final", Duration.ofSeconds(40), () -> !run.finals().isEmpty());

            browser.driver().findElement(By.id("stop-pull")).click();
            browser.await("the API's answer in the page", Duration.ofSeconds(10),
                    () -> browser.text("control-result").startsWith("DELETE /v1/streams/console-end: 200"));
            IngestClient.Closed closed = run.source().awaitClose(30_000);
            assertEquals(1000, closed.code(), run.source().describeClose(closed));
            assertEquals("ended by operator", closed.reason());
            run.captions().awaitEos(30_000);
            browser.await("the page to show the stream ended", Duration.ofSeconds(15),
                    () -> browser.text("s-state").equals("ended"));
            browser.await("the end in the event log", Duration.ofSeconds(5),
                    () -> browser.text("events").contains("ended by operator"));
            browser.screenshot("stream-ended-by-operator");
            feeding.get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void theStreamsPageShowsAPullsSourceUrlRedacted() throws Exception {
        try (Browser browser = Browser.open();
             LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("ingest.pull_retry_first_ms", "1000",
                     "ingest.pull_retry_max_ms", "2000", "ingest.pull_fail_after_attempts", "100")),
                     TestEngines.pocketsphinx())) {
            browser.go("http://127.0.0.1:" + node.port() + "/#/streams");
            browser.await("the streams page", Duration.ofSeconds(10), () -> browser.text("nav-streams").length() > 0);
            // nothing listens on port 9 here: the pull keeps retrying, and stays listed with its URL
            browser.driver().findElement(By.id("pull-id")).sendKeys("console-secret-url");
            browser.driver().findElement(By.id("pull-url")).sendKeys(
                    "https://viewer:hunter2pw@127.0.0.1:9/live/index.m3u8?token=s3cr3t-t0ken&x=1");
            browser.driver().findElement(By.id("pull-start")).click();
            browser.await("the pull accepted", Duration.ofSeconds(10),
                    () -> browser.text("pull-result").startsWith("POST /v1/streams: 201"));
            browser.await("the pull's source URL on its row", Duration.ofSeconds(10),
                    () -> browser.css("#row-console-secret-url .c-url").startsWith("https://"));
            String shown = browser.css("#row-console-secret-url .c-url");
            assertEquals("https://***@127.0.0.1:9/live/index.m3u8?token=***&x=***", shown);
            assertTrue(!browser.css("#streams").contains("hunter2pw") && !browser.css("#streams").contains("s3cr3t"),
                    browser.css("#streams"));
            browser.screenshot("streams-redacted-url");
        }
    }

    @Test
    void retryDeliveryClickedInThePageResumesARefusedPush() throws Exception {
        try (Browser browser = Browser.open();
             ReachSandbox sandbox = ReachSandbox.start(SandboxConfig.of(0, 0, 0, 15,
                     SharedAudio.file(SharedAudio.LECTURE)).withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2),
                     Duration.ofSeconds(5)))) {
            SandboxRegion us = sandbox.region("us");
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(10), Duration.ofSeconds(40)).get(0);
            us.refuseCaptionConnections(id, true);
            LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                            "server.host", "127.0.0.1", "store.url", "jdbc:h2:mem:" + UUID.randomUUID()
                                    + ";DB_CLOSE_DELAY=-1", "reach.poll_seconds", "1", "reach.tick_ms", "200",
                            "reach.keep_alive_seconds", "2", "reach.delivery_grace_seconds", "60",
                            "auth.enabled", "false", "ingest.allowed_networks", TestConfig.LOOPBACK_NETWORKS))
                    .withReachEndpoint(new LivecapConfig.ReachEndpoint(us.name(), us.serviceUrl().toString(),
                            us.vendorPartnerId(), "sandboxvendor", us.vendorKs().reveal()));
            try (LivecapNode node = LivecapNode.start(config, TestEngines.pocketsphinx())) {
                browser.go("http://127.0.0.1:" + node.port() + "/#/tasks");
                String card = "#task-us-" + id;
                browser.await("the push refused on the page", Duration.ofSeconds(60),
                        () -> browser.css(card + " .t-delivery").contains("refused, confirmed seq 0, 1 connection(s)"));
                assertTrue(browser.driver().findElement(By.cssSelector(card + " .t-delivery")).getDomAttribute("class")
                        .contains("alert"), "a failed delivery is marked");
                browser.await("delivery_failing on the task's card, with its Acknowledge button", Duration.ofSeconds(20),
                        () -> cardAlerts(browser, card).stream().anyMatch(a -> a.startsWith("delivery_failing")
                                && a.contains("refused") && a.endsWith("Acknowledge")));
                browser.screenshot("tasks-delivery-refused");

                us.refuseCaptionConnections(id, false);
                String stream = node.tasks().find(new TaskKey("us", id)).orElseThrow().streamId();
                browser.await("a final stored while refused", Duration.ofSeconds(60),
                        () -> !node.sessions().hub().store().finalsAfter(stream, 0).isEmpty());
                browser.driver().findElement(By.cssSelector(card + " .t-retry")).click();
                browser.await("the API's answer on the card", Duration.ofSeconds(10), () -> browser.css(card
                        + " .t-result").startsWith("POST /v1/tasks/us/" + id + "/retry-delivery: 202"));
                browser.await("delivery resumed: pushing, confirmed, one connection", Duration.ofSeconds(60),
                        () -> browser.css(card + " .t-delivery").matches(".*pushing, confirmed seq [1-9][0-9]*, 1 connection\\(s\\).*"));
                assertTrue(us.awaitCaptions(id, 1, Duration.ofSeconds(10)), "the captionUrl got captions");
                browser.await("the alert gone from the card once the push resumed", Duration.ofSeconds(20),
                        () -> cardAlerts(browser, card).stream().noneMatch(a -> a.startsWith("delivery_failing")));
                browser.screenshot("tasks-delivery-retried");

            }
        }
    }

    /** The text of each alert listed on a task's card (kind, subject, message, time, status, button). */
    private static java.util.List<String> cardAlerts(Browser browser, String card) {
        return browser.driver().findElements(By.cssSelector(card + " .t-alert-list li")).stream()
                .map(li -> li.getText().replace('\n', ' ')).toList();
    }
}
