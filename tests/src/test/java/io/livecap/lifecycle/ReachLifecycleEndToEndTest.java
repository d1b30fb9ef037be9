package io.livecap.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.reach.TaskKey;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.Fault;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live tasks driven end to end against the REACH sandbox over real HTTP and websockets, with short times: one event
 * of 45 s, three tasks on it. One runs its whole lifecycle through 30 s of API failures and an access key that expires
 * mid-event; one is cancelled before its refund deadline; one is cancelled after the check and before the start.
 */
class ReachLifecycleEndToEndTest {

    private static JsonNode taskReport(ReachSandbox sandbox, long id) {
        for (JsonNode region : sandbox.report().path("regions")) {
            for (JsonNode task : region.path("tasks")) {
                if (task.path("id").asLong() == id) {
                    return task;
                }
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report: " + sandbox.report());
    }

    @Test
    void liveTasksAreScheduledCheckedCaptionedAndDeliveredOrDroppedWhenCancelled() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 45, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(12));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            List<Long> ids = us.addLiveTasks(3, Instant.now().plusSeconds(25), Duration.ofSeconds(45));
            long full = ids.get(0);
            long cancelledEarly = ids.get(1);
            long cancelledLate = ids.get(2);
            try (LivecapNode node = LivecapNode.start(ReachSandboxRun.livecapFor(us, "sandboxvendor",
                    "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), TestEngines.pocketsphinx())) {
                LiveTaskRepository tasks = node.tasks();
                await("all three SCHEDULED", Duration.ofSeconds(20),
                        () -> ids.stream().allMatch(id -> us.status(id).equals(Optional.of(TaskStatus.SCHEDULED))));
                us.cancel(cancelledEarly); // long before its refund deadline

                TaskKey late = new TaskKey("us", cancelledLate);
                await("the refund check of the third task", Duration.ofSeconds(30),
                        () -> tasks.auditTrail(late).stream().anyMatch(a -> a.startsWith("checked")));
                us.cancel(cancelledLate); // after the check, before the start: the second check must catch it

                // 30 s of trouble around the start: 500s, then answers that never come back in time
                await("the refund check of the full task", Duration.ofSeconds(30), () -> tasks.auditTrail(
                        new TaskKey("us", full)).stream().anyMatch(a -> a.startsWith("checked")));
                sandbox.injectFaults(Fault.http500(Duration.ofSeconds(15)),
                        Fault.stall(Duration.ofSeconds(15), Duration.ofSeconds(20)));

                await("PROCESSING", Duration.ofSeconds(60),
                        () -> us.status(full).equals(Optional.of(TaskStatus.PROCESSING)));
                await("captions at captionUrl", Duration.ofSeconds(30), () -> captionCount(sandbox, full) >= 3);
                us.expireAccessKey(full);
                int beforeExpiry = captionCount(sandbox, full);
                await("READY", Duration.ofSeconds(120),
                        () -> us.status(full).equals(Optional.of(TaskStatus.READY)));

                assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"), us.statusHistory(full).stream()
                        .map(Object::toString).toList(), "each transition, none lost");
                // through stalls an updateJob may be carried out and its answer lost, then repeated (it is
                // idempotent); of the calls whose answer reached livecap, each transition is exactly one
                assertEquals(List.of("SCHEDULED", "PROCESSING", "READY"), us.updateJobCalls(full, true),
                        "each transition exactly once, counted from the updateJob calls");
                assertTrue(sandbox.faultsServed(io.livecap.sandbox.Fault.Kind.HTTP_500) > 0
                        && sandbox.faultsServed(io.livecap.sandbox.Fault.Kind.STALL) > 0,
                        "the injected faults were hit");
                assertTrue(us.warnings(full).stream().noneMatch(w -> w.contains("after the ordered slot")),
                        us.warnings(full).toString());
                assertTrue(tasks.auditTrail(new TaskKey("us", full)).stream()
                        .anyMatch(a -> a.startsWith("key_extended")), "the expired access key was extended");
                assertTrue(tasks.auditTrail(new TaskKey("us", full)).stream()
                        .anyMatch(a -> a.startsWith("media_live")), "the media pull's state is audited: "
                        + tasks.auditTrail(new TaskKey("us", full)));
                assertTrue(captionCount(sandbox, full) > beforeExpiry, "captions went on after the key expired");

                JsonNode report = taskReport(sandbox, full);
                JsonNode captions = report.path("captions");
                assertEquals(0, captions.path("duplicates").size(), captions.toString());
                assertEquals(0, captions.path("gaps").size(), captions.toString());
                JsonNode asset = report.path("captionAsset");
                assertTrue(asset.path("validation").path("valid").asBoolean(), asset.toString());
                assertEquals("SRT", asset.path("format").asText());
                assertTrue(report.path("accuracy").asInt() > 50, report.toString());
                assertEquals(asset.path("id").asText(), report.path("outputObjectId").asText());
                assertTrue(us.violations(full).isEmpty(), us.violations(full).toString());

                for (long id : List.of(cancelledEarly, cancelledLate)) {
                    assertFalse(us.statusHistory(id).stream().anyMatch(s -> s.toString().equals("PROCESSING")),
                            "cancelled task " + id + " was never processed");
                    assertEquals(LiveTaskState.CANCELLED, tasks.find(new TaskKey("us", id)).orElseThrow().state());
                    assertTrue(tasks.auditTrail(new TaskKey("us", id)).stream().anyMatch(a -> a.startsWith("cancelled")));
                }
                assertTrue(tasks.auditTrail(new TaskKey("us", cancelledEarly)).stream()
                        .anyMatch(a -> a.contains("refund deadline check")), tasks.auditTrail(new TaskKey("us", cancelledEarly)).toString());
            }
        }
    }

    private static int captionCount(ReachSandbox sandbox, long id) {
        return taskReport(sandbox, id).path("captions").path("count").asInt();
    }
}
