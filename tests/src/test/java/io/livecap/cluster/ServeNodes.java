package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.store.Database;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code livecap serve} processes on one shared PostgreSQL, captioning one sandbox region's Live tasks: started by
 * name, killed (SIGKILL) or stopped (SIGTERM) one at a time, each with its own log file; what the store says about
 * them (nodes alive, lease owners). Closing stops whatever is still running.
 */
final class ServeNodes implements AutoCloseable {

    private final Path dir;
    private final SandboxRegion region;
    private final String storeUrl;
    private final int leaseTtlSeconds;
    private final Database db;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    ServeNodes(Path dir, SandboxRegion region, String storeUrl, int leaseTtlSeconds) {
        this.dir = dir;
        this.region = region;
        this.storeUrl = storeUrl;
        this.leaseTtlSeconds = leaseTtlSeconds;
        this.db = Database.open(storeUrl);
    }

    /** Starts node {@code name} as its own JVM. */
    Process start(String name) throws IOException {
        Path home = Files.createDirectories(dir.resolve(name));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--port", "0", "--host", "127.0.0.1", "--engine", "pocketsphinx",
                "--reach-url", region.serviceUrl().toString(), "--reach-region", region.name(),
                "--reach-partner-id", String.valueOf(region.vendorPartnerId()), "--reach-vendor", "sandboxvendor"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log(name).toFile()).directory(home.toFile());
        builder.environment().put("LIVECAP_REACH_KS_US", region.vendorKs().reveal());
        builder.environment().put("LIVECAP_STORE_URL", storeUrl);
        builder.environment().put("LIVECAP_CLUSTER_NODE_ID", name);
        builder.environment().put("LIVECAP_CLUSTER_LEASE_TTL_SECONDS", String.valueOf(leaseTtlSeconds));
        builder.environment().put("LIVECAP_CLUSTER_HEARTBEAT_MS", "1000");
        // the sandbox serves the event's media on loopback, which a pull refuses unless allow-listed
        builder.environment().put("LIVECAP_INGEST_ALLOWED_NETWORKS", "127.0.0.0/8,::1");
        builder.environment().put("LIVECAP_REACH_POLL_SECONDS", "1");
        builder.environment().put("LIVECAP_REACH_TICK_MS", "200");
        builder.environment().put("LIVECAP_REACH_KEEP_ALIVE_SECONDS", "2");
        Process process = builder.start();
        processes.put(name, process);
        return process;
    }

    Process process(String name) {
        return processes.get(name);
    }

    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /**
     * Waits until every node started has a heartbeat in the store and its REACH lifecycle runs (a loaded machine
     * takes its time to start JVMs and load pocketsphinx: an event ordered before that would be missed).
     */
    void awaitUp(Duration timeout) throws InterruptedException {
        await(processes.size() + " nodes up, their REACH lifecycles running", timeout, () -> alive()
                == processes.size() && processes.keySet().stream().allMatch(name -> logged(name,
                "REACH lifecycle: polling")));
    }

    boolean logged(String name, String text) {
        try {
            return Files.exists(log(name)) && Files.readString(log(name)).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    /** Nodes whose heartbeat the store took within the last 5 s. */
    int alive() {
        try (Connection c = db.connection(); Statement s = c.createStatement(); ResultSet row = s.executeQuery(
                "SELECT COUNT(*) FROM cluster_node WHERE heartbeat_at > CURRENT_TIMESTAMP - INTERVAL '5 seconds'")) {
            row.next();
            return row.getInt(1);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Who holds the lease on {@code resource} now (an unexpired row), if anyone. */
    Optional<String> owner(String resource) {
        try (Connection c = db.connection(); PreparedStatement s = c.prepareStatement(
                "SELECT owner FROM lease WHERE resource = ? AND expires_at > CURRENT_TIMESTAMP")) {
            s.setString(1, resource);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Database db() {
        return db;
    }

    /** The last lines of every node's log, for a failure's message. */
    String logs() {
        StringBuilder logs = new StringBuilder();
        for (String name : processes.keySet()) {
            logs.append("\n--- ").append(name).append(":\n").append(tail(log(name)));
        }
        return logs.toString();
    }

    static JsonNode taskReport(ReachSandbox sandbox, long id) {
        for (JsonNode region : sandbox.report().path("regions")) {
            for (JsonNode task : region.path("tasks")) {
                if (task.path("id").asLong() == id) {
                    return task;
                }
            }
        }
        throw new AssertionError("task " + id + " not in the sandbox report");
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(100); // polling an observable condition, not guessing a duration
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 80), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(40, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        db.close();
    }
}
