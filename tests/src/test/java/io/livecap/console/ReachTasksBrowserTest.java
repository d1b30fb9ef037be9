package io.livecap.console;

import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The REACH tasks page in a real browser while the REACH sandbox runs a short live event: the task's card shows its
 * timeline growing through SCHEDULED and PROCESSING (captions flowing to its captionUrl) to READY, with the asset.
 */
class ReachTasksBrowserTest {

    @Test
    void aSandboxEventShowsItsTimelineThroughReady() throws Exception {
        try (Browser browser = Browser.open();
             ReachSandbox sandbox = ReachSandbox.start(SandboxConfig.of(0, 0, 0, 15,
                     SharedAudio.file(SharedAudio.LECTURE)).withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2),
                     Duration.ofSeconds(5)))) {
            SandboxRegion us = sandbox.region("us");
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(12), Duration.ofSeconds(15)).get(0);
            LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                            "server.host", "127.0.0.1", "store.url", "jdbc:h2:mem:" + UUID.randomUUID()
                                    + ";DB_CLOSE_DELAY=-1", "reach.poll_seconds", "1", "reach.tick_ms", "200",
                            "reach.keep_alive_seconds", "2", "reach.delivery_grace_seconds", "60",
                            "auth.enabled", "false", "ingest.allowed_networks", TestConfig.LOOPBACK_NETWORKS))
                    .withReachEndpoint(new LivecapConfig.ReachEndpoint(us.name(), us.serviceUrl().toString(),
                            us.vendorPartnerId(), "sandboxvendor", us.vendorKs().reveal()));
            try (LivecapNode node = LivecapNode.start(config, TestEngines.pocketsphinx())) {
                browser.go("http://127.0.0.1:" + node.port() + "/#/tasks");
                String card = "task-us-" + id;
                browser.await("the task on the page", Duration.ofSeconds(20),
                        () -> !browser.text(card).isEmpty());
                browser.await("PROCESSING in the timeline", Duration.ofSeconds(60),
                        () -> !states(browser, card).isEmpty() && states(browser, card).contains("PROCESSING"));
                browser.await("captions confirmed at the captionUrl", Duration.ofSeconds(60),
                        () -> browser.css("#" + card + " .t-delivery").matches(".*confirmed seq [1-9].*"));
                browser.screenshot("tasks-processing");
                browser.await("READY in the timeline", Duration.ofSeconds(120),
                        () -> states(browser, card).contains("READY"));
                assertEquals(Optional.of(TaskStatus.READY), us.status(id), "the page agrees with REACH");

                List<String> states = states(browser, card);
                System.out.printf("[console] task %d timeline states: %s%n", id, states);
                assertTrue(states.indexOf("SCHEDULED") >= 0 && states.indexOf("SCHEDULED") < states.indexOf("PROCESSING")
                        && states.indexOf("PROCESSING") < states.indexOf("READY"), "in order: " + states);
                assertEquals("READY", browser.css("#" + card + " .t-state"));
                browser.await("the delivered asset", Duration.ofSeconds(5),
                        () -> browser.css("#" + card + " .t-delivery").contains("accuracy"));
                browser.screenshot("tasks");
            }
        }
    }

    /** The states marked on a task's timeline, in order. */
    private static List<String> states(Browser browser, String card) {
        return browser.driver().findElements(By.cssSelector("#" + card + " .timeline li.state")).stream()
                .map(WebElement::getText).map(t -> t.split(" ")[0].toUpperCase()).toList();
    }
}
