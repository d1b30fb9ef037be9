package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.sandbox.SandboxRegion.ReceivedCaption;
import io.livecap.session.Leases;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.livecap.cluster.ServeNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The node that owns a live sandbox event gets SIGTERM: it drains - its last finals are recognised and confirmed
 * by Kaltura, its captionUrl is let go without eos, its leases are handed back - and the other node claims the task
 * before the lease TTL would have let it, and carries it to READY with nothing sent twice.
 */
@Execution(ExecutionMode.CONCURRENT) // the suite's second lane (tests/src/test/resources/junit-platform.properties)
class DrainEndToEndTest {

    /**
     * Longer than the default 15 s: a drain first lets the stream's recognition catch up with its audio, which on a
     * loaded 2-core machine alone may take 15 s; the claim must still come well before the lease would expire.
     */
    private static final int TTL_SECONDS = 30;

    @TempDir
    Path dir;

    @Test
    void theOwnerIsStoppedWithSigtermAndHandsTheEventOverFasterThanTheTtl() throws Exception {
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        String storeUrl = TestPostgres.freshUrl();
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 60, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(8));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            ServeNodes nodes = new ServeNodes(dir, us, storeUrl, TTL_SECONDS);
            try (nodes) {
                nodes.start("node-1");
                nodes.start("node-2");
                nodes.awaitUp(Duration.ofSeconds(180));
                long id = us.addLiveTasks(1, Instant.now().plusSeconds(15), Duration.ofSeconds(60)).get(0);
                String lease = Leases.task("us", id);
                String stream = "reach-us-" + id;
                await("PROCESSING with captions flowing", Duration.ofSeconds(120), () ->
                        us.status(id).equals(Optional.of(TaskStatus.PROCESSING)) && us.receivedCaptions(id).stream()
                                .filter(ReceivedCaption::isFinal).count() >= 3);

                String owner = nodes.owner(lease).orElseThrow();
                String other = owner.equals("node-1") ? "node-2" : "node-1";
                long stoppedAt = System.nanoTime();
                Instant stoppedAtWall = Instant.now();
                nodes.process(owner).destroy(); // SIGTERM: the shutdown hook drains the node

                await(other + " claims the task", Duration.ofSeconds(TTL_SECONDS + 20),
                        () -> nodes.owner(lease).equals(Optional.of(other)));
                long claimMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - stoppedAt);
                System.out.printf("drain: task claimed by %s %d ms after %s got SIGTERM (TTL %d s)%n", other,
                        claimMs, owner, TTL_SECONDS);
                assertTrue(claimMs < TTL_SECONDS * 1000L, "handed over, not left to expire: claimed " + claimMs
                        + " ms after SIGTERM");
                assertTrue(nodes.process(owner).waitFor(60, TimeUnit.SECONDS), "the drained node exits");
                String drained = Files.readString(nodes.log(owner));
                assertTrue(drained.contains("handed over (this node is draining)"), "the drained node's log");
                await("captions after the hand-over", Duration.ofSeconds(60), () -> us.receivedCaptions(id).stream()
                        .anyMatch(c -> c.isFinal() && c.receivedAt().isAfter(stoppedAtWall.plusMillis(claimMs))));
                await("READY", Duration.ofSeconds(180), () -> us.status(id).equals(Optional.of(TaskStatus.READY)));

                assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"), us.statusHistory(id));
                assertEquals(List.of("SCHEDULED", "PROCESSING", "READY"), us.updateJobCalls(id, false),
                        "one updateJob per transition");
                assertTrue(us.violations(id).isEmpty(), us.violations(id).toString());
                JsonNode captions = ServeNodes.taskReport(sandbox, id).path("captions");
                assertEquals(1, captions.path("mostConnectionsAtOnce").asInt(), captions.toString());
                assertTrue(captions.path("connections").asInt() >= 2, captions.toString());
                // the drained node waited for Kaltura to confirm its finals: the next owner had none to send again
                assertEquals(0, captions.path("duplicates").size(), "nothing sent twice: " + captions);
                List<ReceivedCaption> received = us.receivedCaptions(id);
                List<Caption> stored = FailoverEndToEndTest.deliveredPart(
                        new JdbcCaptionStore(nodes.db()).finalsAfter(stream, 0), received);
                for (int i = 1; i < stored.size(); i++) {
                    assertEquals(stored.get(i - 1).session(), stored.get(i).session(), "one timeline session");
                    assertTrue(stored.get(i).startMs() >= stored.get(i - 1).endMs() - 50, "the timeline goes on");
                }
                assertTrue(received.stream().filter(ReceivedCaption::isFinal).map(ReceivedCaption::seq).toList()
                        .containsAll(stored.stream().map(Caption::seq).toList()), "every final reached Kaltura");
                JsonNode asset = ServeNodes.taskReport(sandbox, id).path("captionAsset");
                FailoverEndToEndTest.assetHoldsEveryFinalOnce(asset.path("content").asText(), stored,
                        new JdbcCaptionStore(nodes.db()).finalsAfter(stream, 0));
                assertFalse(drained.contains("eos after seq"), "the drained node sent no eos: the stream went on");
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + nodes.logs(), e);
            }
        }
    }
}
