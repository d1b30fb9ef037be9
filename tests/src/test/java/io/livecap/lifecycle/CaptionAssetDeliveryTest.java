package io.livecap.lifecycle;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import io.livecap.reach.CaptionAsset;
import io.livecap.reach.EntryVendorTask;
import io.livecap.reach.NewCaptionAsset;
import io.livecap.reach.ReachClient;
import io.livecap.reach.ReachException;
import io.livecap.reach.RetryPolicy;
import io.livecap.reach.TaskAccess;
import io.livecap.reach.TaskStatus;
import io.livecap.reach.TaskUpdate;
import io.livecap.sandbox.ActionFault;
import io.livecap.sandbox.AssetProcessing;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.InMemoryCaptionStore;
import io.livecap.store.Database;
import io.livecap.store.JdbcLiveTaskRepository;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The delivery step against the sandbox over real HTTP, with a task's state in a real database: uncertain adds,
 * assets that stay QUEUED or turn ERROR, 500s on setContent, and a restart between an add and its answer. No audio:
 * the stored finals are made here, so each case takes a second or so.
 */
class CaptionAssetDeliveryTest {

    private static final RetryPolicy QUICK = new RetryPolicy(10, Duration.ofMillis(20), Duration.ofMillis(100),
            Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10));

    private ReachSandbox sandbox;
    private SandboxRegion us;
    private ReachClient client;
    private Database db;
    private JdbcLiveTaskRepository tasks;
    private final InMemoryCaptionStore store = new InMemoryCaptionStore();
    private LiveTask task;
    private EntryVendorTask remote;

    @BeforeEach
    void start() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 0, 0, 60, SharedAudio.file(SharedAudio.LECTURE)));
        us = sandbox.region("us");
        long id = us.addLiveTasks(1, Instant.now().minusSeconds(10), Duration.ofSeconds(60)).get(0);
        client = new ReachClient(sandbox.endpoint("us", "1.0.0"), QUICK);
        db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        tasks = new JdbcLiveTaskRepository(db);
        client.updateJob(id, TaskUpdate.to(TaskStatus.SCHEDULED));
        remote = client.getJobs(TaskStatus.SCHEDULED).get(0);
        client.updateJob(id, TaskUpdate.to(TaskStatus.PROCESSING));
        task = ReachPoller.toLiveTask(remote, client.getCatalogItem(remote.catalogItemId()))
                .withState(LiveTaskState.DELIVERING);
        tasks.insert(task);
        for (int i = 0; i < 3; i++) {
            long startMs = 2_000 + 3_000L * i;
            long epoch = task.captionsFrom().toEpochMilli() + startMs;
            store.append(new Caption(task.streamId(), i + 1, true, i + 1, "caption number " + i,
                    List.of("caption number " + i), startMs, startMs + 2_000, epoch, 90 * startMs,
                    List.of(new CaptionWord("caption", startMs, startMs + 700, 0.9),
                            new CaptionWord("number", startMs + 700, startMs + 1_400, 0.8),
                            new CaptionWord(String.valueOf(i), startMs + 1_400, startMs + 2_000, 0.7)), "en-US"));
        }
    }

    @AfterEach
    void stop() throws Exception {
        sandbox.close();
        db.close();
    }

    private CaptionAssetDelivery delivery(Duration readyWithin) {
        return new CaptionAssetDelivery(tasks, new TranscriptDelivery(store), Clock.systemUTC(), readyWithin,
                Duration.ofMillis(100), Duration.ofMillis(400));
    }

    private final CaptionAssetDelivery.AssetCalls calls = new CaptionAssetDelivery.AssetCalls() {
        @Override
        public CaptionAsset add(LiveTask t, NewCaptionAsset asset, String marker) throws ReachException {
            return client.addCaptionAsset(access(t), t.entryId(), asset, marker);
        }

        @Override
        public CaptionAsset setContent(LiveTask t, String assetId, String content) throws ReachException {
            return client.setCaptionContent(access(t), assetId, content);
        }

        @Override
        public CaptionAsset get(LiveTask t, String assetId) throws ReachException {
            return client.getCaptionAsset(access(t), assetId);
        }
    };

    private static TaskAccess access(LiveTask t) {
        return new TaskAccess(t.key().id(), t.accessKey());
    }

    private LiveTask stored() {
        return tasks.find(task.key()).orElseThrow();
    }

    /** Steps until the delivery is no longer waiting (each step is what one lifecycle tick does). */
    private CaptionAssetDelivery.Outcome deliver(CaptionAssetDelivery delivery, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            CaptionAssetDelivery.Outcome outcome = delivery.step(stored(), calls);
            if (!(outcome instanceof CaptionAssetDelivery.Outcome.Waiting)) {
                return outcome;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting after " + timeout.toSeconds() + " s: " + outcome);
            }
            Thread.sleep(50); // one tick; the condition is the outcome, checked above
        }
    }

    private long filledAssets() {
        return us.captionAssets(task.key().id()).stream().filter(a -> a.contains(" filled")).count();
    }

    @Test
    void anUncertainAddIsMadeAgainAfterARestartAndTheContentGoesToTheNewAssetOnly() throws Exception {
        us.injectFault(ActionFault.uncertainAdd(task.key().id()));

        CaptionAssetDelivery.Outcome first = delivery(Duration.ofSeconds(10)).step(stored(), calls);
        assertInstanceOf(CaptionAssetDelivery.Outcome.Waiting.class, first);
        String marker = stored().delivery().pendingAdd();
        assertNotNull(marker, "the add's marker is kept durably while its outcome is unknown");
        assertNull(stored().captionAssetId());

        // a new instance on the same database: what a restart while DELIVERING finds
        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(10)), Duration.ofSeconds(10));

        CaptionAssetDelivery.Outcome.Ready ready = assertInstanceOf(CaptionAssetDelivery.Outcome.Ready.class, outcome);
        assertEquals(1, us.faultsServed("caption_captionasset.add"), "the injected fault was hit");
        assertEquals(2, us.calls("caption_captionasset.add"));
        assertEquals(0, us.calls("caption_captionasset.list"), "never listed");
        List<String> assets = us.captionAssets(task.key().id());
        assertEquals(2, assets.size(), assets.toString());
        assertTrue(assets.get(0).contains(" empty partnerData " + marker), "the orphan is the marked one: " + assets);
        assertTrue(assets.get(1).contains(" filled") && assets.get(1).startsWith(ready.assetId()), assets.toString());
        assertEquals(ready.assetId(), stored().captionAssetId());
        assertNull(stored().delivery().pendingAdd());
        assertTrue(tasks.auditTrail(task.key()).stream().anyMatch(a -> a.startsWith("asset_unknown") && a.contains(marker)),
                tasks.auditTrail(task.key()).toString());
        assertTrue(us.violations(task.key().id()).isEmpty(), us.violations(task.key().id()).toString());
    }

    @Test
    void theOrdersSourceLanguageDecidesWhateverTheMedia() {
        // the catalog item's sourceLanguage ("English"); no media language is read, so "Undefined" cannot matter
        assertEquals("en-US", task.language());
    }

    @Test
    void anAssetQueuedForTwoSecondsIsReadyOnlyAfterThem() throws Exception {
        us.setAssetProcessing(task.key().id(), AssetProcessing.queuedFor(Duration.ofSeconds(2)));
        long start = System.nanoTime();

        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(20)), Duration.ofSeconds(15));

        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertInstanceOf(CaptionAssetDelivery.Outcome.Ready.class, outcome);
        assertTrue(tookMs >= 2_000, "READY came after the asset's 2 s in QUEUED, took " + tookMs + " ms");
        assertTrue(us.calls("caption_captionasset.get") >= 2, "polled: " + us.calls("caption_captionasset.get"));
        assertTrue(us.calls("caption_captionasset.get") <= 12, "with backoff, not every tick: "
                + us.calls("caption_captionasset.get"));
        assertEquals(1, filledAssets());
    }

    @Test
    void anAssetThatTurnsErrorFailsTheTaskSayingSo() throws Exception {
        us.setAssetProcessing(task.key().id(), AssetProcessing.failingAfter(Duration.ofMillis(500)));

        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(20)), Duration.ofSeconds(10));

        CaptionAssetDelivery.Outcome.Failed failed = assertInstanceOf(CaptionAssetDelivery.Outcome.Failed.class, outcome);
        assertTrue(failed.errDescription().contains("turned ERROR (-1)"), failed.errDescription());
        assertTrue(failed.errDescription().contains(stored().captionAssetId()), failed.errDescription());
    }

    @Test
    void aRestartAfterSetContentWaitsForTheSameAssetAndKeepsTheDeadline() throws Exception {
        us.setAssetProcessing(task.key().id(), AssetProcessing.queuedFor(Duration.ofSeconds(60)));
        assertInstanceOf(CaptionAssetDelivery.Outcome.Waiting.class,
                delivery(Duration.ofSeconds(2)).step(stored(), calls));
        Instant contentSetAt = stored().delivery().contentSetAt();
        assertNotNull(contentSetAt, "when the content was set is kept durably");

        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(2)), Duration.ofSeconds(10));

        assertInstanceOf(CaptionAssetDelivery.Outcome.Failed.class, outcome);
        assertEquals(contentSetAt, stored().delivery().contentSetAt(), "the deadline counts from the first time");
        assertEquals(1, us.calls("caption_captionasset.add"));
        assertEquals(1, us.calls("caption_captionasset.setContent"), "not set again after the restart");
    }

    @Test
    void anAssetNeverReadyFailsAtTheDeadline() throws Exception {
        us.setAssetProcessing(task.key().id(), AssetProcessing.queuedFor(Duration.ofSeconds(60)));

        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(1)), Duration.ofSeconds(10));

        CaptionAssetDelivery.Outcome.Failed failed = assertInstanceOf(CaptionAssetDelivery.Outcome.Failed.class, outcome);
        assertTrue(failed.errDescription().contains("status 0 (QUEUED)")
                && failed.errDescription().contains("not READY (2) within 1 s"), failed.errDescription());
    }

    @Test
    void setContentAnswering500IsRetriedIntoTheSameAsset() throws Exception {
        us.injectFault(ActionFault.refuse("caption_captionasset.setContent", task.key().id(), 2));

        CaptionAssetDelivery.Outcome outcome = deliver(delivery(Duration.ofSeconds(10)), Duration.ofSeconds(10));

        assertInstanceOf(CaptionAssetDelivery.Outcome.Ready.class, outcome);
        assertEquals(2, us.faultsServed("caption_captionasset.setContent"), "both injected 500s were hit");
        assertEquals(3, us.calls("caption_captionasset.setContent"));
        assertEquals(1, us.calls("caption_captionasset.add"));
        assertEquals(List.of(stored().captionAssetId() + " status 2 filled partnerData "
                + us.captionAssets(task.key().id()).get(0).split("partnerData ")[1]), us.captionAssets(task.key().id()));
    }
}
