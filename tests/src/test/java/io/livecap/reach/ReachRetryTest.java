package io.livecap.reach;

import io.livecap.sandbox.Fault;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.sandbox.ActionFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Calls get through periods of HTTP 500s and of stalls (done on the server, answer lost); the one call that is not
 * idempotent (caption asset add) is never repeated once it may have taken effect, and never looked up by listing.
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
    void anAddWhoseAnswerIsLostIsNeitherRepeatedNorLookedUp() throws Exception {
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(task.id(), TaskUpdate.to(TaskStatus.PROCESSING));
        region.injectFault(ActionFault.uncertainAdd(task.id())); // made, then HTTP 500

        ReachUncertainException unknown = assertThrows(ReachUncertainException.class, () -> client.addCaptionAsset(
                task.access().get(), task.entryId(), new NewCaptionAsset(OutputFormat.SRT, "English", "English", 90),
                "livecap:us/1000:test"));

        assertEquals(1, region.faultsServed("caption_captionasset.add"), "the fault was met");
        assertTrue(unknown.getMessage().contains("outcome unknown"), unknown.getMessage());
        assertEquals(1, region.calls("caption_captionasset.add"), "not repeated: it may have made an asset");
        assertEquals(0, region.calls("caption_captionasset.list"), "never listed: Kaltura forbids it");
        assertEquals(1, region.captionAssetCount(task.entryId()), "the asset was made, its answer lost");
    }

    @Test
    void anAddThatNeverReachedTheServerIsRetried() throws Exception {
        int port;
        try (java.net.ServerSocket unused = new java.net.ServerSocket(0)) {
            port = unused.getLocalPort();
        }
        ReachEndpoint nowhere = new ReachEndpoint("us", java.net.URI.create("http://127.0.0.1:" + port),
                12345, "vendor", Secret.of("djJ8nowhere"), "1.0.0");
        ReachClient lost = new ReachClient(nowhere, new RetryPolicy(3, Duration.ofMillis(10), Duration.ofMillis(20),
                Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(5)));

        ReachUnavailableException error = assertThrows(ReachUnavailableException.class, () -> lost.addCaptionAsset(
                new TaskAccess(1000, Secret.of("djJ8key")), "1_x", new NewCaptionAsset(OutputFormat.SRT, null, null,
                        null), "livecap:us/1000:test"));
        assertFalse(error instanceof ReachUncertainException, "no connection: certainly not made");
        assertTrue(error.getMessage().contains("gave up after 3 attempt(s)"), error.getMessage());
    }

    @Test
    void listingCaptionAssetsIsForbiddenAsOnKaltura() throws Exception {
        EntryVendorTask task = client.getJobs(TaskStatus.PENDING).get(0);
        String body = "{\"format\":1,\"ks\":\"" + task.accessKey().reveal() + "\",\"clientTag\":\"app:1_v_12345_task-"
                + task.id() + "\",\"filter\":{\"objectType\":\"KalturaCaptionAssetFilter\",\"entryIdEqual\":\""
                + task.entryId() + "\"}}";
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(region.serviceUrl() + "/api_v3/service/caption_captionasset/action/list"))
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode());
        assertTrue(answer.body().contains("SERVICE_FORBIDDEN"), answer.body());
        assertTrue(region.violations(task.id()).stream().anyMatch(v -> v.contains("forbids listing")),
                region.violations(task.id()).toString());
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
