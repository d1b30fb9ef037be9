package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.store.Database;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two and three livecap nodes as separate processes on one PostgreSQL, against the REACH sandbox with three
 * events: every task goes through each status by exactly one node (one updateJob per transition, as the sandbox
 * recorded them), its captionUrl has one connection at a time, and the events are spread over the nodes.
 */
class ClusterEndToEndTest {

    private static final int EVENTS = 3;

    @TempDir
    Path dir;

    /** livecap serve as its own JVM, on the shared store, named {@code node}. */
    private Process serve(SandboxRegion region, String storeUrl, String node) throws IOException {
        Path home = Files.createDirectories(dir.resolve(node));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--port", "0", "--host", "127.0.0.1", "--engine", "pocketsphinx",
                "--reach-url", region.serviceUrl().toString(), "--reach-region", region.name(),
                "--reach-partner-id", String.valueOf(region.vendorPartnerId()), "--reach-vendor", "sandboxvendor"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(node + ".log").toFile()).directory(home.toFile());
        builder.environment().put("LIVECAP_REACH_KS_US", region.vendorKs().reveal());
        builder.environment().put("LIVECAP_STORE_URL", storeUrl);
        builder.environment().put("LIVECAP_CLUSTER_NODE_ID", node);
        builder.environment().put("LIVECAP_CLUSTER_LEASE_TTL_SECONDS", "6");
        builder.environment().put("LIVECAP_CLUSTER_HEARTBEAT_MS", "1000");
        // the sandbox serves the event's media on loopback, which a pull refuses unless allow-listed
        builder.environment().put("LIVECAP_INGEST_ALLOWED_NETWORKS", "127.0.0.0/8,::1");
        builder.environment().put("LIVECAP_REACH_POLL_SECONDS", "1");
        builder.environment().put("LIVECAP_REACH_TICK_MS", "200");
        builder.environment().put("LIVECAP_REACH_KEEP_ALIVE_SECONDS", "2");
        return builder.start();
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void everyTaskIsDrivenByExactlyOneNodeAndTheEventsAreSpread(int nodes) throws Exception {
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        String storeUrl = TestPostgres.freshUrl();
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 25, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(8));
        List<Process> processes = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try (ReachSandbox sandbox = ReachSandbox.start(config); Database db = Database.open(storeUrl)) {
            SandboxRegion us = sandbox.region("us");
            for (int i = 1; i <= nodes; i++) {
                names.add("node-" + i);
                processes.add(serve(us, storeUrl, "node-" + i));
            }
            await("all " + nodes + " nodes up", Duration.ofSeconds(90), () -> aliveNodes(db) == nodes);
            List<Long> ids = us.addLiveTasks(EVENTS, Instant.now().plusSeconds(15), Duration.ofSeconds(25));
            await("every task READY", Duration.ofSeconds(180), () -> ids.stream()
                    .allMatch(id -> us.status(id).equals(Optional.of(TaskStatus.READY))));

            Set<String> owners = new HashSet<>();
            for (long id : ids) {
                assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"), us.statusHistory(id));
                assertEquals(List.of("SCHEDULED", "PROCESSING", "READY"), us.updateJobCalls(id, false),
                        "one updateJob per transition, from one node");
                List<String> movers = new ArrayList<>();
                for (String node : names) {
                    String log = Files.readString(dir.resolve(node + ".log"));
                    for (String to : List.of("-> SCHEDULED", "-> PROCESSING", "-> DELIVERING", "-> READY")) {
                        if (log.lines().anyMatch(l -> l.contains("live task us/" + id + " ") && l.contains(to))) {
                            movers.add(node + " " + to);
                        }
                    }
                }
                assertEquals(4, movers.size(), "each transition of task " + id + " by exactly one node: " + movers);
                Set<String> by = new HashSet<>(movers.stream().map(m -> m.split(" ")[0]).toList());
                assertEquals(1, by.size(), "one node drove task " + id + " throughout: " + movers);
                owners.addAll(by);
                JsonNode captions = taskReport(sandbox, id).path("captions");
                assertTrue(captions.path("finals").asInt() >= 1, "captions reached Kaltura: " + captions);
                assertEquals(1, captions.path("mostConnectionsAtOnce").asInt(), captions.toString());
                assertEquals(0, captions.path("duplicates").size(), captions.toString());
                assertTrue(us.violations(id).isEmpty(), us.violations(id).toString());
            }
            assertEquals(Math.min(nodes, EVENTS), owners.size(), "the events are spread over the nodes: " + owners);
        } catch (AssertionError e) {
            StringBuilder logs = new StringBuilder(e.getMessage());
            for (String node : names) {
                logs.append("\n--- ").append(node).append(":\n").append(tail(dir.resolve(node + ".log")));
            }
            throw new AssertionError(logs.toString(), e);
        } finally {
            for (Process p : processes) {
                p.destroy();
            }
            for (Process p : processes) {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        }
    }

    private static int aliveNodes(Database db) {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet row = s.executeQuery(
                "SELECT COUNT(*) FROM cluster_node WHERE heartbeat_at > CURRENT_TIMESTAMP - INTERVAL '5 seconds'")) {
            row.next();
            return row.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode taskReport(ReachSandbox sandbox, long id) {
        for (JsonNode region : sandbox.report().path("regions")) {
            for (JsonNode task : region.path("tasks")) {
                if (task.path("id").asLong() == id) {
                    return task;
                }
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report");
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(200); // polling an observable condition, not guessing a duration
        }
    }
}
