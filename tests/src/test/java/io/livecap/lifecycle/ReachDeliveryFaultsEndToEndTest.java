package io.livecap.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.reach.TaskKey;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ActionFault;
import io.livecap.sandbox.AssetProcessing;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static io.livecap.lifecycle.ReachSandboxRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Six Live tasks of 16 s (2 s buffers) run end to end against the sandbox. Four meet one delivery fault each: an
 * uncertain caption asset add (made, then HTTP 500), an asset that stays QUEUED for 5 s, an asset that turns ERROR,
 * and 500s on setContent. Two fail while PROCESSING: one vanishes from REACH, one's expired access key cannot be
 * extended. Each transition is counted from the updateJob calls themselves, the faults are checked to
 * have been hit, and the slot's cut-off is checked from the sandbox's own warnings.
 */
class ReachDeliveryFaultsEndToEndTest {

    private static JsonNode taskReport(ReachSandbox sandbox, long id) {
        for (JsonNode task : sandbox.report().path("regions").path(0).path("tasks")) {
            if (task.path("id").asLong() == id) {
                return task;
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report");
    }

    @Test
    void everyDeliveryFaultEndsInOneFilledAssetOrAClearError() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 12, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            List<Long> ids = us.addLiveTasks(4, Instant.now().plusSeconds(12), Duration.ofSeconds(12));
            long uncertainAdd = ids.get(0);
            long queued = ids.get(1);
            long assetError = ids.get(2);
            long setContent500 = ids.get(3);
            us.injectFault(ActionFault.uncertainAdd(uncertainAdd));
            us.setAssetProcessing(queued, AssetProcessing.queuedFor(Duration.ofSeconds(5)));
            us.setAssetProcessing(assetError, AssetProcessing.failingAfter(Duration.ofSeconds(1)));
            us.injectFault(ActionFault.refuse("caption_captionasset.setContent", setContent500, 2));

            try (LivecapNode node = LivecapNode.start(ReachSandboxRun.livecapFor(us, "sandboxvendor",
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), TestEngines.pocketsphinx())) {
                LiveTaskRepository tasks = node.tasks();
                await("every task READY or ERROR", Duration.ofSeconds(120), () -> ids.stream().allMatch(id ->
                        us.status(id).map(s -> s == TaskStatus.READY || s == TaskStatus.ERROR).orElse(false)));

                assertEquals(1, us.faultsServed("caption_captionasset.add"), "the uncertain add was hit");
                assertEquals(2, us.faultsServed("caption_captionasset.setContent"), "both setContent 500s were hit");
                assertEquals(0, us.calls("caption_captionasset.list"), "caption assets are never listed");
                assertTrue(us.violations().isEmpty(), us.violations().toString());

                for (long id : ids) {
                    String expected = id == assetError ? "ERROR" : "READY";
                    JsonNode report = taskReport(sandbox, id);
                    String where = "task " + id + ": " + report;
                    assertEquals(expected, report.path("status").asText(), where);
                    assertEquals(List.of("SCHEDULED", "PROCESSING", expected), us.updateJobCalls(id, false),
                            "each transition exactly once, counted from every updateJob call: " + where);
                    assertTrue(us.violations(id).isEmpty(), "no violation (READY before the asset was ready"
                            + " is one): " + us.violations(id));
                    List<String> warnings = us.warnings(id);
                    assertTrue(warnings.stream().noneMatch(w -> w.contains("after the ordered slot")),
                            "no caption of audio past the slot's end: " + warnings);
                    assertTrue(warnings.stream().noneMatch(w -> w.contains("captions pushed while")),
                            "captions only while PROCESSING: " + warnings);
                    assertTrue(report.path("captions").path("finals").asInt() >= 1, where);
                    String slotEnd = report.path("slotEnd").asText();
                    List<String> audit = tasks.auditTrail(new TaskKey("us", id));
                    assertTrue(audit.contains("delivering: captions cut off at " + slotEnd),
                            "livecap cut off where the sandbox's slot ends (" + slotEnd + "): " + audit);
                    List<String> assets = us.captionAssets(id);
                    assertEquals(1, assets.stream().filter(a -> a.contains(" filled")).count(), assets.toString());
                    if (id == uncertainAdd) {
                        assertEquals(2, assets.size(), "the uncertain add's empty asset, and the filled one: " + assets);
                        assertTrue(audit.stream().anyMatch(a -> a.startsWith("asset_unknown")), audit.toString());
                    } else {
                        assertEquals(1, assets.size(), assets.toString());
                    }
                    if (expected.equals("READY")) {
                        assertEquals(report.path("captionAsset").path("id").asText(),
                                report.path("outputObjectId").asText());
                        assertEquals(2, report.path("captionAsset").path("status").asInt());
                    }
                }
                JsonNode failed = taskReport(sandbox, assetError);
                assertTrue(failed.path("errDescription").asText().contains("turned ERROR (-1)"), failed.toString());
                assertTrue(tasks.auditTrail(new TaskKey("us", assetError)).stream()
                        .anyMatch(a -> a.startsWith("alert_asset")), "an alert was raised");
                assertEquals(Optional.of(TaskStatus.READY), us.status(queued));            }
        }
    }

    @Test
    void aTaskThatVanishesAndOneWhoseKeyCannotBeExtendedEndInErrorWhileProcessing() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 20, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(3));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            List<Long> ids = us.addLiveTasks(2, Instant.now().plusSeconds(12), Duration.ofSeconds(20));
            long vanishes = ids.get(0);
            long keyNotExtended = ids.get(1);
            try (LivecapNode node = LivecapNode.start(ReachSandboxRun.livecapFor(us, "sandboxvendor",
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), TestEngines.pocketsphinx())) {
                LiveTaskRepository tasks = node.tasks();
                await("captions from both", Duration.ofSeconds(40),
                        () -> taskReport(sandbox, vanishes).path("captions").path("count").asInt() >= 1
                                && taskReport(sandbox, keyNotExtended).path("captions").path("count").asInt() >= 1);
                us.cancel(vanishes); // not something a customer can do while PROCESSING: the task just disappears
                us.failExtends(keyNotExtended, LiveTaskRunner.MAX_FAILED_EXTENSIONS);
                us.expireAccessKey(keyNotExtended);
                await("the key's task ERROR", Duration.ofSeconds(30),
                        () -> us.status(keyNotExtended).equals(Optional.of(TaskStatus.ERROR)));

                await("the vanished task to end", Duration.ofSeconds(30), () -> tasks.find(new TaskKey("us", vanishes))
                        .map(t -> t.state() == LiveTaskState.ERROR).orElse(false));
                LiveTask vanished = tasks.find(new TaskKey("us", vanishes)).orElseThrow();
                assertTrue(vanished.error().contains("vanished from REACH"), vanished.error());
                assertEquals(0, us.captionAssets(vanishes).size(), "nothing delivered to a vanished task");
                assertEquals(List.of("SCHEDULED", "PROCESSING"), us.updateJobCalls(vanishes, false),
                        "no updateJob after it vanished");
                // until the next keep-alive sees it gone, the pull and the pusher may knock on the closed sockets
                assertTrue(us.violations(vanishes).stream().allMatch(v -> v.contains("connection after the task was"
                        + " cancelled")), us.violations(vanishes).toString());

                assertEquals(Optional.of(TaskStatus.ERROR), us.status(keyNotExtended));
                JsonNode keyless = taskReport(sandbox, keyNotExtended);
                assertTrue(keyless.path("errDescription").asText().contains("failed to extend it "
                        + LiveTaskRunner.MAX_FAILED_EXTENSIONS + " times"), keyless.toString());
                assertEquals(List.of("SCHEDULED", "PROCESSING", "ERROR"), us.updateJobCalls(keyNotExtended, false));
                assertEquals(LiveTaskRunner.MAX_FAILED_EXTENSIONS, tasks.auditTrail(new TaskKey("us", keyNotExtended))
                        .stream().filter(a -> a.startsWith("key_extension_failed")).count());

            }
        }
    }
}
