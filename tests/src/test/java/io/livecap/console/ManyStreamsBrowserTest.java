package io.livecap.console;

import io.livecap.client.AudioFeeder;
import io.livecap.client.IngestClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The streams page with 20 live streams: every row is there, rows are updated in place (the same elements from one
 * snapshot to the next), and what applying a snapshot costs the page is measured.
 */
class ManyStreamsBrowserTest {

    static final int STREAMS = 20;

    @Test
    void twentyLiveStreamsAreUpdatedInPlace() throws Exception {
        List<IngestClient> sources = new ArrayList<>();
        try (Browser browser = Browser.open();
             ScriptedSpeechEngine engine = ScriptedSpeechEngine.of("one@100-300 two@300-500 three@500-700");
             LivecapNode node = LivecapNode.start(TestConfig.local(), engine)) {
            AudioFeeder.Source silence = AudioFeeder.of(new short[16_000], 16_000, 1);
            for (int i = 0; i < STREAMS; i++) {
                IngestClient source = new IngestClient(node.url("/v1/ingest/many-" + i));
                source.connect(10_000);
                source.start(new AudioFeeder().startMessage(silence), 10_000);
                source.sendChunk(0, new byte[32_000], 32_000);
                sources.add(source);
            }
            browser.go("http://127.0.0.1:" + node.port() + "/#/streams");
            browser.await(STREAMS + " rows", Duration.ofSeconds(20),
                    () -> browser.driver().findElements(By.cssSelector("#streams tbody tr")).size() == STREAMS);
            // mark every row element; after more snapshots the marked elements must still be the rows shown
            browser.driver().executeScript("document.querySelectorAll('#streams tbody tr').forEach(r => r.marked = 1);"
                    + "window.updateCost.count = 0; window.updateCost.totalMs = 0; window.updateCost.maxMs = 0;");
            browser.await("ten more snapshots", Duration.ofSeconds(20), () -> ((Number) browser.driver()
                    .executeScript("return window.updateCost.count")).intValue() >= 10);
            long marked = (Long) browser.driver().executeScript(
                    "return Array.from(document.querySelectorAll('#streams tbody tr')).filter(r => r.marked).length");
            assertEquals(STREAMS, marked, "no row was rebuilt");
            @SuppressWarnings("unchecked")
            Map<String, Object> cost = (Map<String, Object>) browser.driver().executeScript(
                    "return window.updateCost");
            double mean = ((Number) cost.get("totalMs")).doubleValue() / ((Number) cost.get("count")).doubleValue();
            double max = ((Number) cost.get("maxMs")).doubleValue();
            System.out.printf("[console] %d live streams: applying a snapshot took %.2f ms on average, %.2f ms at most"
                    + " (%s snapshots)%n", STREAMS, mean, max, cost.get("count"));
            assertTrue(mean < 100, "a snapshot of " + STREAMS + " streams costs " + mean + " ms"); // loose: CI is loaded
            browser.screenshot("streams-20");
        } finally {
            sources.forEach(IngestClient::close);
        }
    }
}
