package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static io.livecap.cluster.ServeNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two and three livecap nodes as separate processes on one PostgreSQL, against the REACH sandbox with three
 * events: every task goes through each status by exactly one node (one updateJob per transition, as the sandbox
 * recorded them), its captionUrl has one connection at a time, and the events are spread over the nodes.
 */
@Execution(ExecutionMode.CONCURRENT) // the suite's second lane (tests/src/test/resources/junit-platform.properties)
class ClusterEndToEndTest {

    private static final int EVENTS = 3;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyTaskIsDrivenByExactlyOneNodeAndTheEventsAreSpread(int count) throws Exception {
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        String storeUrl = TestPostgres.freshUrl();
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 30, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(8));
        List<String> names = new ArrayList<>();
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            ServeNodes nodes = new ServeNodes(dir, us, storeUrl, 6);
            try (nodes) {
                for (int i = 1; i <= count; i++) {
                    names.add("node-" + i);
                    nodes.start("node-" + i);
                }
                nodes.awaitUp(Duration.ofSeconds(180));
                List<Long> ids = us.addLiveTasks(EVENTS, Instant.now().plusSeconds(20), Duration.ofSeconds(30));
                await("every task READY", Duration.ofSeconds(240), () -> ids.stream()
                        .allMatch(id -> us.status(id).equals(Optional.of(TaskStatus.READY))));
                // the sandbox can record READY a moment before the node logs the transition it just made
                await("every transition logged", Duration.ofSeconds(30), () -> ids.stream()
                        .allMatch(id -> movers(nodes, names, id).size() >= 4));

                Set<String> owners = new HashSet<>();
                for (long id : ids) {
                    assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"), us.statusHistory(id));
                    assertEquals(List.of("SCHEDULED", "PROCESSING", "READY"), us.updateJobCalls(id, false),
                            "one updateJob per transition, from one node");
                    List<String> movers = movers(nodes, names, id);
                    assertEquals(4, movers.size(), "each transition of task " + id + " by exactly one node: "
                            + movers);
                    Set<String> by = new HashSet<>(movers.stream().map(m -> m.split(" ")[0]).toList());
                    assertEquals(1, by.size(), "one node drove task " + id + " throughout: " + movers);
                    owners.addAll(by);
                    JsonNode captions = ServeNodes.taskReport(sandbox, id).path("captions");
                    assertTrue(captions.path("finals").asInt() >= 1, "captions reached Kaltura: " + captions);
                    assertEquals(1, captions.path("mostConnectionsAtOnce").asInt(), captions.toString());
                    assertEquals(0, captions.path("duplicates").size(), captions.toString());
                    assertTrue(us.violations(id).isEmpty(), us.violations(id).toString());
                }
                assertEquals(Math.min(count, EVENTS), owners.size(), "the events are spread over the nodes: "
                        + owners);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + nodes.logs(), e);
            }
        }
    }

    /** "node -> STATUS" for each transition of task {@code id} that a node's log records. */
    private static List<String> movers(ServeNodes nodes, List<String> names, long id) {
        List<String> movers = new ArrayList<>();
        for (String node : names) {
            String log;
            try {
                log = Files.readString(nodes.log(node));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String to : List.of("-> SCHEDULED", "-> PROCESSING", "-> DELIVERING", "-> READY")) {
                if (log.lines().anyMatch(l -> l.contains("live task us/" + id + " ") && l.contains(to))) {
                    movers.add(node + " " + to);
                }
            }
        }
        return movers;
    }
}
