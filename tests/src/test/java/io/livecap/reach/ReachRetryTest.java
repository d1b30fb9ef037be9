package io.livecap.reach;

import io.livecap.sandbox.Fault;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls get through periods of HTTP 500s and of stalls (done on the server, answer lost), and a non-idempotent call
 * never takes effect twice.
 */
class ReachRetryTest {

    /** Short timeouts so the faults cost a second or two, not minutes. */
    private static final RetryPolicy QUICK = new RetryPolicy(40, Duration.ofMillis(20), Duration.ofMillis(150),
            Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofSeconds(20));

    private ReachSandbox sandbox;
    private SandboxRegion region;
    private ReachClient client;

    @BeforeEach
    void start() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 1, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        region = sandbox.region("us");
        client = new ReachClient(sandbox.endpoint("us", "1.0.0"), QUICK);
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aCaptionAssetAddedThroughFaultsExistsOnce() throws Exception {
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.PROCESSING));

        // the first add lands in the stall: it is carried out but its answer is lost; then 500s
        sandbox.injectFaults(Fault.stall(Duration.ofMillis(700), Duration.ofMillis(1500)),
                Fault.http500(Duration.ofMillis(500)));
        CaptionAsset asset = client.addCaptionAsset(task.access().get(), task.entryId(),
                new NewCaptionAsset(OutputFormat.SRT, "English", "English", 90));

        assertTrue(sandbox.faultsServed(Fault.Kind.STALL) >= 2, "the stall was met");
        assertTrue(sandbox.faultsServed(Fault.Kind.HTTP_500) >= 1, "the 500s were met");
        assertEquals(1, region.calls("caption_captionasset.add"), "the lost add was found, not repeated");
        assertTrue(region.calls("caption_captionasset.list") >= 2, "the lookup itself was retried");
        assertEquals(1, region.captionAssetCount(task.entryId()), "one asset");
        assertEquals(asset.id(), client.getCaptionAsset(task.access().get(), asset.id()).id());
    }

    @Test
    void anAddRefusedWith500IsMadeAgainOnceTheLookupFindsNothing() throws Exception {
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.PROCESSING));
        sandbox.injectFaults(Fault.http500(Duration.ofMillis(500)));

        client.addCaptionAsset(task.access().get(), task.entryId(),
                new NewCaptionAsset(OutputFormat.VTT, "English", "English", 90));

        assertTrue(sandbox.faultsServed(Fault.Kind.HTTP_500) >= 1);
        assertEquals(2, region.calls("caption_captionasset.add"), "refused, then made");
        assertEquals(1, region.captionAssetCount(task.entryId()));
    }

    @Test
    void aStatusSetThroughAStallIsRecordedOnce() throws Exception {
        long id = client.getJobs(TaskStatus.PENDING).get(0).id();
        sandbox.injectFaults(Fault.stall(Duration.ofMillis(700), Duration.ofMillis(1500)));

        EntryVendorTask scheduled = client.updateJob(id, TaskUpdate.to(TaskStatus.SCHEDULED));

        assertEquals(TaskStatus.SCHEDULED, scheduled.status());
        assertTrue(region.calls("reach_entryvendortask.updateJob") >= 2, "retried through the stall");
        assertEquals(java.util.List.of("PENDING", "SCHEDULED"), region.statusHistory(id));
        assertTrue(region.violations(id).isEmpty(), region.violations(id).toString());
    }

    @Test
    void retriesStopAtMaxAttempts() throws Exception {
        ReachClient fourTries = new ReachClient(sandbox.endpoint("us", "1.0.0"), new RetryPolicy(4,
                Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofSeconds(2), Duration.ofSeconds(2),
                Duration.ofSeconds(20)));
        sandbox.injectFaults(Fault.http500(Duration.ofSeconds(30)));

        ReachUnavailableException gaveUp = assertThrows(ReachUnavailableException.class,
                () -> fourTries.getCatalogItem(101));
        assertEquals(4, region.calls("reach_vendorcatalogitem.get"));
        assertTrue(gaveUp.getMessage().contains("gave up after 4 attempt(s)"), gaveUp.getMessage());
        assertTrue(gaveUp.getMessage().contains("HTTP 500"), gaveUp.getMessage());
    }

    @Test
    void retriesStopAtTheTotalTime() {
        ReachClient briefly = new ReachClient(sandbox.endpoint("us", "1.0.0"), new RetryPolicy(1000,
                Duration.ofMillis(10), Duration.ofMillis(40), Duration.ofMillis(200), Duration.ofMillis(200),
                Duration.ofMillis(600)));
        sandbox.injectFaults(Fault.stall(Duration.ofSeconds(30), Duration.ofSeconds(5)));

        long start = System.nanoTime();
        assertThrows(ReachUnavailableException.class, () -> briefly.getCatalogItem(101));
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertTrue(tookMs < 1500, "bounded by totalTime 600 ms, took " + tookMs + " ms");
    }

    @Test
    void anUnreachableEndpointIsRetriedThenReported() throws Exception {
        int port;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
            port = unused.getLocalPort();
        }
        ReachEndpoint nowhere = new ReachEndpoint("us", java.net.URI.create("http://127.0.0.1:" + port),
                12345, "vendor", Secret.of("djJ8nowhere"), "1.0.0");
        ReachClient lost = new ReachClient(nowhere, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5)));

        ReachUnavailableException error = assertThrows(ReachUnavailableException.class,
                () -> lost.getJobs(TaskStatus.PENDING));
        assertTrue(error.getMessage().contains("cannot connect"), error.getMessage());
    }
}
