package io.livecap.lifecycle;

import io.livecap.reach.ReachClient;
import io.livecap.reach.TaskKey;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.store.Database;
import io.livecap.store.JdbcLiveTaskRepository;
import io.livecap.testkit.SharedAudio;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The poller against the sandbox over real HTTP: every page, every region, each task exactly once. */
class ReachPollerTest {

    @Test
    void twelveHundredPendingTasksArePagedThroughAndEqualIdsFromTwoRegionsStayApart() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 600, 60, SharedAudio.file(SharedAudio.LECTURE))
                .withRegions("us", "eu");
        try (ReachSandbox sandbox = ReachSandbox.start(config);
             Database db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            SandboxRegion us = sandbox.region("us");
            SandboxRegion eu = sandbox.region("eu");
            List<Long> usIds = us.addPendingTasks(1_200);
            List<Long> euIds = eu.addLiveTasks(3, Instant.now().plusSeconds(3600), Duration.ofMinutes(30));
            assertTrue(euIds.stream().allMatch(usIds::contains), "the regions number their tasks alike");

            JdbcLiveTaskRepository tasks = new JdbcLiveTaskRepository(db);
            ReachPoller poller = new ReachPoller(List.of(new ReachClient(sandbox.endpoint("us", "test")),
                    new ReachClient(sandbox.endpoint("eu", "test"))), tasks);
            assertEquals(1_203, poller.poll());
            assertEquals(0, poller.poll(), "a second poll finds nothing new");

            Set<TaskKey> keys = new HashSet<>();
            tasks.active().forEach(t -> keys.add(t.key()));
            assertEquals(1_203, keys.size());
            for (long id : euIds) {
                assertTrue(keys.contains(new TaskKey("us", id)) && keys.contains(new TaskKey("eu", id)));
                LiveTask inEu = tasks.find(new TaskKey("eu", id)).orElseThrow();
                LiveTask inUs = tasks.find(new TaskKey("us", id)).orElseThrow();
                assertEquals(eu.entryId(id), inEu.entryId(), "each region's task keeps its own entry");
                assertEquals(us.entryId(id), inUs.entryId());
                assertEquals("reach-eu-" + id, inEu.streamId());
                assertEquals("reach-us-" + id, inUs.streamId());
            }
            assertEquals(3 * 2, us.calls("reach_entryvendortask.getJobs"), "500 + 500 + 200, twice: every page");
        }
    }
}
