package io.livecap.reach;

import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REACH errors the lifecycle acts on arrive as their own types; the rest as ReachApiException. */
class ReachErrorsAndAccessKeysTest {

    private ReachSandbox sandbox;
    private SandboxRegion region;
    private ReachClient client;

    @BeforeEach
    void start() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 3, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        region = sandbox.region("us");
        client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
    }

    @AfterEach
    void stop() {
        sandbox.close();
    }

    @Test
    void aCancelledTaskIsNotFoundAndNoLongerListed() throws Exception {
        EntryVendorTask task = task(1001);
        client.updateJob(1001, TaskUpdate.to(TaskStatus.SCHEDULED));
        region.cancel(1001);

        TaskNotFoundException gone = assertThrows(TaskNotFoundException.class, () -> client.get(task.access().get()));
        assertEquals(TaskNotFoundException.CODE, gone.code());
        assertEquals("1001", gone.args().get("ID"));
        assertEquals(1001L, gone.taskId().orElseThrow());
        assertTrue(gone.getMessage().contains("reach us reach_entryvendortask.get task 1001"), gone.getMessage());
        assertTrue(client.getJobs(TaskStatus.PENDING, TaskStatus.SCHEDULED).stream().noneMatch(t -> t.id() == 1001));

        int before = region.calls("reach_entryvendortask.updateJob");
        assertThrows(TaskNotFoundException.class, () -> client.updateJob(1001, TaskUpdate.to(TaskStatus.PROCESSING)));
        assertEquals(before + 1, region.calls("reach_entryvendortask.updateJob"), "an API error is not retried");
        assertEquals(List.of("PENDING", "SCHEDULED", "CANCELLED"), region.statusHistory(1001));
        assertTrue(region.violations(1001).get(0).contains("after the customer cancelled"));
    }

    @Test
    void anExpiredAccessKeyIsExtendedOnlyWhileProcessing() throws Exception {
        TaskAccess first = task(1000).access().orElseThrow();
        client.updateJob(1000, TaskUpdate.to(TaskStatus.SCHEDULED));
        region.expireAccessKey(1000);

        ExpiredAccessKeyException expired = assertThrows(ExpiredAccessKeyException.class, () -> client.get(first));
        assertEquals("INVALID_KS", expired.code());
        assertEquals("EXPIRED", expired.args().get("KSID"));
        assertThrows(CannotExtendAccessKeyException.class, () -> client.extendAccessKey(1000));

        client.updateJob(1000, TaskUpdate.to(TaskStatus.PROCESSING));
        EntryVendorTask extended = client.extendAccessKey(1000);
        TaskAccess second = extended.access().orElseThrow();
        assertNotEquals(first.accessKey(), second.accessKey());
        assertEquals(TaskStatus.PROCESSING, client.get(second).status());
        assertThrows(ExpiredAccessKeyException.class, () -> client.get(first), "the old key stays expired");

        region.failNextExtend(1000);
        assertThrows(FailedExtendAccessKeyException.class, () -> client.extendAccessKey(1000));

        client.updateJob(1000, TaskUpdate.to(TaskStatus.ERROR).errDescription("rehearsal"));
        CannotExtendAccessKeyException done = assertThrows(CannotExtendAccessKeyException.class,
                () -> client.extendAccessKey(1000));
        assertEquals("Extending accessKey for non processing task is not allowed", done.serverMessage());
        assertEquals(2, region.violations(1000).size(), "both refused extensions are reported");
    }

    @Test
    void otherErrorsAreGenericAndTheRefusedTransitionIsReported() throws Exception {
        ReachApiException missing = assertThrows(ReachApiException.class, () -> client.getCatalogItem(999));
        assertSame(ReachApiException.class, missing.getClass());
        assertEquals("CATALOG_ITEM_NOT_FOUND", missing.code());

        client.updateJob(1002, TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(1002, TaskUpdate.to(TaskStatus.ERROR).errDescription("no audio"));
        ReachApiException refused = assertThrows(ReachApiException.class,
                () -> client.updateJob(1002, TaskUpdate.to(TaskStatus.PROCESSING)));
        assertEquals("CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE", refused.code());
        assertEquals(List.of("PENDING", "SCHEDULED", "ERROR"), region.statusHistory(1002));
        assertTrue(region.violations(1002).get(0).contains("ERROR -> PROCESSING"), region.violations(1002).toString());
    }

    @Test
    void theCatalogItemAndTheLiveEventAreRead() throws Exception {
        EntryVendorTask task = task(1000);
        CatalogItem item = client.getCatalogItem(task.catalogItemId());
        assertEquals("KalturaVendorLiveCaptionCatalogItem", item.objectType());
        assertEquals(ServiceFeature.LIVE_CAPTION, item.serviceFeature());
        assertEquals(ServiceType.MACHINE, item.serviceType());
        assertEquals(OutputFormat.SRT, item.outputFormat());
        assertEquals("English", item.sourceLanguage());
        assertEquals(Duration.ofSeconds(30), item.minimalRefundTime());
        assertEquals(Duration.ofSeconds(10), item.startTimeBuffer());
        assertEquals(Duration.ofMinutes(240), item.durationLimit());

        ScheduledVendorTaskData slot = task.schedule().orElseThrow();
        ScheduleEvent event = client.getScheduleEvent(task.access().get(), slot.scheduledEventId());
        assertEquals("KalturaLiveStreamScheduleEvent", event.objectType());
        assertEquals(slot.startDate().plus(item.startTimeBuffer()), event.startDate(), "the slot has the buffer");
        assertEquals(Duration.between(slot.startDate(), slot.endDate()), slot.entryDuration());
        LiveCaptionFeature feature = event.captionFeature("eng").orElseThrow();
        assertEquals(TransferMethod.WEBSOCKET, feature.transferMethod().orElseThrow());
        assertTrue(feature.mediaUrl().getPath().endsWith("/media/us/" + event.id()));
        assertTrue(feature.mediaKey() != null && feature.captionToken() != null);
        assertFalse(feature.toString().contains(feature.mediaKey().reveal()), "records print secrets as ***");
    }

    @Test
    void aCaptionAssetIsAddedFilledAndDelivered() throws Exception {
        EntryVendorTask task = task(1000);
        TaskAccess access = task.access().orElseThrow();
        String entryId = task.entryId();
        client.updateJob(1000, TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(1000, TaskUpdate.to(TaskStatus.PROCESSING));

        CaptionAsset added = client.addCaptionAsset(access, entryId,
                new NewCaptionAsset(OutputFormat.SRT, "English", "English (livecap)", 91), "livecap:test");
        assertEquals(CaptionAsset.STATUS_QUEUED, added.status());
        assertEquals(entryId, added.entryId());
        String srt = "1\n00:00:01,000 --> 00:00:03,200\nthe committee will meet\n\n"
                + "2\n00:00:03,400 --> 00:00:05,000\non tuesday\n";
        CaptionAsset filled = client.setCaptionContent(access, added.id(), srt);
        assertTrue(filled.isReady());
        assertEquals(OutputFormat.SRT, client.getCaptionAsset(access, added.id()).format());
        client.updateJob(1000, TaskUpdate.to(TaskStatus.READY).accuracy(91).outputObjectId(added.id()));

        var report = sandbox.report().path("regions").get(0).path("tasks").get(0);
        assertEquals("READY", report.path("status").asText());
        assertEquals(added.id(), report.path("captionAsset").path("id").asText());
        assertTrue(report.path("captionAsset").path("validation").path("valid").asBoolean());
        assertEquals(2, report.path("captionAsset").path("validation").path("cues").asInt());
        assertEquals(srt, report.path("captionAsset").path("content").asText());
        assertTrue(region.violations(1000).isEmpty(), region.violations(1000).toString());
        assertEquals("[]", sandbox.report().path("regions").get(0).path("warnings").toString(),
                "clientTags, filters and pages as Kaltura expects them");
        // the slot is an hour away: finishing now is worth a remark, and nothing else is
        assertTrue(region.warnings(1000).stream().allMatch(w -> w.contains("before the ordered slot")),
                region.warnings(1000).toString());
    }

    @Test
    void readyBeforeTheAssetIsReadyIsAViolationAndTheAssetTurnsReadyWhenItsTimeComes() throws Exception {
        EntryVendorTask task = task(1000);
        TaskAccess access = task.access().orElseThrow();
        client.updateJob(1000, TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(1000, TaskUpdate.to(TaskStatus.PROCESSING));
        region.setAssetProcessing(1000L, io.livecap.sandbox.AssetProcessing.queuedFor(Duration.ofMillis(800)));
        CaptionAsset asset = client.addCaptionAsset(access, task.entryId(),
                new NewCaptionAsset(OutputFormat.SRT, "English", null, 90), "livecap:test");
        CaptionAsset filled = client.setCaptionContent(access, asset.id(), "1\n00:00:01,000 --> 00:00:02,000\nhi\n");
        assertEquals(CaptionAsset.STATUS_QUEUED, filled.status(), "converted asynchronously, as Kaltura does");

        client.updateJob(1000, TaskUpdate.to(TaskStatus.READY).accuracy(90).outputObjectId(asset.id()));

        assertTrue(region.violations(1000).stream().anyMatch(v -> v.contains("READY before caption asset "
                + asset.id() + " was ready")), region.violations(1000).toString());
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!client.getCaptionAsset(access, asset.id()).isReady()) {
            assertTrue(System.nanoTime() < deadline, "the asset never turned READY");
            Thread.sleep(50); // polling the asset's status, as a vendor does
        }
    }

    @Test
    void anUnreadableCaptionFileIsFlagged() throws Exception {
        EntryVendorTask task = task(1001);
        TaskAccess access = task.access().orElseThrow();
        client.updateJob(1001, TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(1001, TaskUpdate.to(TaskStatus.PROCESSING));
        CaptionAsset asset = client.addCaptionAsset(access, task.entryId(),
                new NewCaptionAsset(OutputFormat.SRT, "English", null, null), "livecap:test");
        client.setCaptionContent(access, asset.id(), "1\n00:00:01,000 --> 00:00:01,001\nblink\n");

        var validation = sandbox.report().path("regions").get(0).path("tasks").get(1)
                .path("captionAsset").path("validation");
        assertFalse(validation.path("valid").asBoolean());
        assertTrue(validation.path("errors").get(0).asText().contains("lasts 1 ms"), validation.toString());
    }

    private EntryVendorTask task(long id) throws ReachException {
        return client.getJobs(TaskStatus.PENDING, TaskStatus.SCHEDULED).stream().filter(t -> t.id() == id)
                .findFirst().orElseThrow();
    }
}
