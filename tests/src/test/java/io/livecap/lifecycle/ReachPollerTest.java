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
    void twelveHundredForeignTasksAreSkippedInOneSummaryLinePerPoll() throws Exception {
        SandboxConfig config = SandboxConfig.of(0, 0, 600, 60, SharedAudio.file(SharedAudio.LECTURE));
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(ReachPoller.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> logs =
                new ch.qos.logback.core.read.ListAppender<>();
        ch.qos.logback.classic.Level level = logger.getLevel();
        logger.setLevel(ch.qos.logback.classic.Level.DEBUG);
        logs.start();
        logger.addAppender(logs);
        try (ReachSandbox sandbox = ReachSandbox.start(config);
             Database db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")) {
            SandboxRegion us = sandbox.region("us");
            us.addForeignTasks(1_200);
            us.addLiveTasks(2, Instant.now().plusSeconds(3600), Duration.ofMinutes(30));
            ReachPoller poller = new ReachPoller(List.of(new ReachClient(sandbox.endpoint("us", "test"))),
                    new JdbcLiveTaskRepository(db));

            int[] infoPerPoll = new int[3];
            int[] debugPerPoll = new int[3];
            for (int poll = 0; poll < 3; poll++) {
                logs.list.clear();
                poller.poll();
                infoPerPoll[poll] = (int) logs.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(
                        ch.qos.logback.classic.Level.INFO)).count();
                debugPerPoll[poll] = logs.list.size() - infoPerPoll[poll];
                if (poll == 0) {
                    assertTrue(logs.list.stream().anyMatch(e -> e.getFormattedMessage().equals("region us: getJobs"
                            + " listed 1202 tasks: 2 new, 0 already ours, 1200 not ours {feature CAPTIONS=1200}")),
                            logs.list.toString());
                }
            }
            assertEquals(3, infoPerPoll[0], "two new tasks and the summary");
            assertEquals(1, infoPerPoll[1], "the summary changed: the two are ours now");
            assertEquals(0, infoPerPoll[2], "nothing new to say");
            assertTrue(debugPerPoll[2] >= 1_200, "each foreign task's reason is at DEBUG: " + debugPerPoll[2]);
        } finally {
            logger.detachAppender(logs);
            logger.setLevel(level);
        }
    }

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
