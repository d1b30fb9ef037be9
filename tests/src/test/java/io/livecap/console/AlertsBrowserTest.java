package io.livecap.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console's alert lists in a real browser: a stream whose audio stops raises no_media in the node's list on the
 * streams page, and "Acknowledge" there goes through {@code POST /v1/alerts/{id}/ack} (the API then lists it
 * acknowledged, still active: its condition holds); a pts jump on another stream is listed on that stream's page, and
 * acknowledging it there clears it (an event alert is done once seen), in the API and then in the page; a source
 * sending 7 s at once shows its timing drift and timing_mismatch on its page.
 */
class AlertsBrowserTest {

    private static final int RATE = 16_000;
    private static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void anAlertAcknowledgedInThePageIsAcknowledgedInTheApi() throws Exception {
        try (Browser browser = Browser.open();
             ScriptedSpeechEngine engine = ScriptedSpeechEngine.of("one@100-300", "two@6000-6300");
             LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("alerts.no_media_seconds", "1",
                     "alerts.max_timing_drift_ms", "2000")), engine)) {
            IngestClient quiet = open(node, "console-quiet");
            send(quiet, 0, 5); // then nothing: no media after a second

            browser.go("http://127.0.0.1:" + node.port() + "/#/streams");
            browser.await("no_media listed on the streams page", Duration.ofSeconds(30),
                    () -> item(browser, "#alert-list li", "no_media", "console-quiet") != null);
            WebElement noMedia = item(browser, "#alert-list li", "no_media", "console-quiet");
            String id = noMedia.getDomAttribute("data-alert");
            assertEquals("active", noMedia.findElement(By.cssSelector(".a-status")).getText());
            browser.screenshot("alerts");
            noMedia.findElement(By.cssSelector(".a-ack")).click();
            browser.await("the API's answer in the page", Duration.ofSeconds(10),
                    () -> browser.text("alert-result").startsWith("POST /v1/alerts/" + id + "/ack: 200"));
            browser.await("the acknowledgement shown", Duration.ofSeconds(10), () -> "active, acknowledged".equals(
                    status(browser, "#alert-list-" + id)));
            JsonNode listed = alert(node, id);
            assertTrue(listed.path("acknowledged").asBoolean(), listed.toString());
            assertTrue(listed.path("active").asBoolean(), "a condition alert stays active until its condition goes");
            assertFalse(browser.driver().findElement(By.cssSelector("#alert-list-" + id + " .a-ack")).isDisplayed(),
                    "no second acknowledgement offered");

            IngestClient jumpy = open(node, "console-jumpy");
            long pts = send(jumpy, 0, 5);
            send(jumpy, pts + 10_000, 5);
            browser.go("http://127.0.0.1:" + node.port() + "/#/stream/console-jumpy");
            browser.await("the pts jump on the stream's page", Duration.ofSeconds(30),
                    () -> item(browser, "#s-alert-list li", "pts_discontinuity", "console-jumpy") != null);
            WebElement jump = item(browser, "#s-alert-list li", "pts_discontinuity", "console-jumpy");
            String jumpId = jump.getDomAttribute("data-alert");
            browser.screenshot("stream-alerts");
            jump.findElement(By.cssSelector(".a-ack")).click();
            browser.await("the API's answer in the page", Duration.ofSeconds(10),
                    () -> browser.text("control-result").startsWith("POST /v1/alerts/" + jumpId + "/ack: 200"));
            JsonNode seen = alert(node, jumpId);
            assertTrue(seen.path("acknowledged").asBoolean(), seen.toString());
            assertFalse(seen.path("active").asBoolean(), "an event alert is cleared by its acknowledgement");
            browser.await("the cleared alert gone from the stream's list", Duration.ofSeconds(10),
                    () -> item(browser, "#s-alert-list li", "pts_discontinuity", "console-jumpy") == null);

            // 7 s sent at once: the second final's start_epoch is ~5.9 s early for its start
            IngestClient hasty = open(node, "console-hasty");
            send(hasty, 0, 70);
            browser.go("http://127.0.0.1:" + node.port() + "/#/stream/console-hasty");
            browser.await("timing_mismatch on the stream's page", Duration.ofSeconds(30),
                    () -> item(browser, "#s-alert-list li", "timing_mismatch", "console-hasty") != null);
            long drift = Long.parseLong(browser.text("s-drift"));
            assertTrue(drift <= -2_000 && drift >= -5_900, "the page shows the drift: " + drift + " ms");
            browser.screenshot("stream-timing-mismatch");
            quiet.close();
            jumpy.close();
            hasty.close();
        }
    }

    /** The list item of the alert {@code kind} on {@code subject}, or null. */
    private static WebElement item(Browser browser, String selector, String kind, String subject) {
        for (WebElement li : browser.driver().findElements(By.cssSelector(selector))) {
            if (li.findElement(By.cssSelector(".a-kind")).getText().equals(kind)
                    && li.findElement(By.cssSelector(".a-subject")).getText().equals(subject)) {
                return li;
            }
        }
        return null;
    }

    private static String status(Browser browser, String itemSelector) {
        List<WebElement> found = browser.driver().findElements(By.cssSelector(itemSelector + " .a-status"));
        return found.isEmpty() ? "" : found.get(0).getText();
    }

    private static JsonNode alert(LivecapNode node, String id) throws Exception {
        JsonNode list = Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + node.port() + "/v1/alerts")).GET().build(), HttpResponse.BodyHandlers.ofString()).body());
        for (JsonNode a : list.path("alerts")) {
            if (a.path("id").asText().equals(id)) {
                return a;
            }
        }
        throw new AssertionError("alert " + id + " not in GET /v1/alerts: " + list);
    }

    private static IngestClient open(LivecapNode node, String id) throws Exception {
        IngestClient source = new IngestClient(node.url("/v1/ingest/" + id));
        source.connect(10_000);
        Map<String, Object> start = new LinkedHashMap<>();
        start.put("type", "start");
        start.put("codec", "pcm_s16le");
        start.put("sample_rate", RATE);
        start.put("channels", 1);
        start.put("timescale", 1000);
        start.put("pts_bits", 63);
        start.put("language", "en");
        source.start(start, 10_000);
        return source;
    }

    /** Sends {@code chunks} 100 ms chunks of low noise from {@code pts} (ms); returns the pts after them. */
    private static long send(IngestClient source, long pts, int chunks) {
        byte[] chunk = new byte[RATE / 10 * 2];
        for (int i = 0; i < chunk.length; i += 2) {
            chunk[i] = (byte) ((i * 31) % 64);
        }
        for (int i = 0; i < chunks; i++) {
            source.sendChunk(pts, chunk, chunk.length);
            pts += 100;
        }
        return pts;
    }
}
