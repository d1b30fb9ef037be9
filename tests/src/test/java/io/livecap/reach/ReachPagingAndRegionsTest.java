package io.livecap.reach;

import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** getJobs against the sandbox over real HTTP: every page, each task once, and regions that never mix. */
class ReachPagingAndRegionsTest {

    private ReachSandbox sandbox;

    @AfterEach
    void stop() {
        if (sandbox != null) {
            sandbox.close();
        }
    }

    @Test
    void getJobsReadsEveryPageAndReturnsEachPendingTaskOnce() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 3, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        SandboxRegion us = sandbox.region("us");
        us.addPendingTasks(1200);
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));

        List<EntryVendorTask> pending = client.getJobs(TaskStatus.PENDING);

        Set<Long> ids = pending.stream().map(EntryVendorTask::id).collect(Collectors.toSet());
        assertEquals(1203, pending.size(), "3 event tasks + 1200 bulk tasks");
        assertEquals(pending.size(), ids.size(), "no task twice");
        assertEquals(Set.copyOf(us.taskIds(TaskStatus.PENDING)), ids);
        assertEquals(3, us.calls("reach_entryvendortask.getJobs"), "pages of 500, 500 and 203");
        assertTrue(pending.stream().allMatch(t -> t.key().region().equals("us")));
        assertTrue(pending.stream().allMatch(t -> t.serviceFeature() == ServiceFeature.LIVE_CAPTION
                && t.serviceType() == ServiceType.MACHINE && t.schedule().isPresent() && t.access().isPresent()));
    }

    @Test
    void aFullLastPageCostsOneMoreShortPage() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 0, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        sandbox.region("us").addPendingTasks(1000);
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));

        assertEquals(1000, client.getJobs(TaskStatus.PENDING).size());
        assertEquals(3, sandbox.region("us").calls("reach_entryvendortask.getJobs"), "500, 500, then an empty page");
    }

    @Test
    void scheduledTasksAreListedByStatusAndBothStatusesTogether() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 4, 3600, 600, SharedAudio.file(SharedAudio.LECTURE)));
        ReachClient client = new ReachClient(sandbox.endpoint("us", "1.0.0"));
        client.updateJob(1001, TaskUpdate.to(TaskStatus.SCHEDULED));
        client.updateJob(1003, TaskUpdate.to(TaskStatus.SCHEDULED));

        assertEquals(Set.of(1001L, 1003L), ids(client.getJobs(TaskStatus.SCHEDULED)));
        assertEquals(Set.of(1000L, 1002L), ids(client.getJobs(TaskStatus.PENDING)));
        assertEquals(Set.of(1000L, 1001L, 1002L, 1003L),
                ids(client.getJobs(TaskStatus.PENDING, TaskStatus.SCHEDULED)));
    }

    @Test
    void tasksWithEqualIdsInTwoRegionsStayApart() throws Exception {
        sandbox = ReachSandbox.start(SandboxConfig.of(0, 2, 3600, 600, SharedAudio.file(SharedAudio.LECTURE))
                .withRegions("us", "eu"));
        ReachClient us = new ReachClient(sandbox.endpoint("us", "1.0.0"));
        ReachClient eu = new ReachClient(sandbox.endpoint("eu", "1.0.0"));
        List<EntryVendorTask> usTasks = us.getJobs(TaskStatus.PENDING);
        List<EntryVendorTask> euTasks = eu.getJobs(TaskStatus.PENDING);
        assertEquals(ids(usTasks), ids(euTasks), "the regions reuse the same ids");

        Map<TaskKey, EntryVendorTask> byKey = new HashMap<>();
        usTasks.forEach(t -> byKey.put(t.key(), t));
        euTasks.forEach(t -> byKey.put(t.key(), t));
        assertEquals(4, byKey.size(), "keyed by (region, id) nothing collides");
        assertNotEquals(new TaskKey("us", 1000), new TaskKey("eu", 1000));

        eu.updateJob(1000, TaskUpdate.to(TaskStatus.SCHEDULED));
        assertEquals(TaskStatus.SCHEDULED, sandbox.region("eu").status(1000).orElseThrow());
        assertEquals(TaskStatus.PENDING, sandbox.region("us").status(1000).orElseThrow());
        assertEquals(Set.of(1000L, 1001L), ids(us.getJobs(TaskStatus.PENDING)));
        assertEquals(Set.of(1001L), ids(eu.getJobs(TaskStatus.PENDING)));

        // an access key is a KS of its own region: the other region does not know it
        TaskAccess euAccess = euTasks.get(0).access().orElseThrow();
        ReachApiException error = assertThrows(ReachApiException.class, () -> us.get(euAccess));
        assertEquals("INVALID_KS", error.code());
        assertEquals("us", error.region());
    }

    private static Set<Long> ids(List<EntryVendorTask> tasks) {
        return tasks.stream().map(EntryVendorTask::id).collect(Collectors.toCollection(HashSet::new));
    }
}
