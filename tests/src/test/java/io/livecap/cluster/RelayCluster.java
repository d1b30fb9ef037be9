package io.livecap.cluster;

import io.livecap.asr.vosk.ToneBenchFiles;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code livecap serve} processes on one PostgreSQL, each its own JVM, on the vosk engine with the generated tone
 * model (cheap, and real libvosk): what the relay and restart tests run. Each node's port is read from the address
 * it announces in {@code cluster_node}.
 */
final class RelayCluster implements AutoCloseable {

    private final Path dir;
    private final String storeUrl;
    private final Path model;
    private final Path tones;
    private final Map<String, Process> processes = new LinkedHashMap<>();

    /** Writes the tone model and {@code seconds} of tone bursts under {@code dir}. */
    RelayCluster(Path dir, String storeUrl, int seconds) throws IOException {
        this.dir = dir;
        this.storeUrl = storeUrl;
        ToneBenchFiles.main(new String[]{dir.resolve("tones").toString(), String.valueOf(seconds)});
        this.model = dir.resolve("tones/model");
        this.tones = dir.resolve("tones/tones-" + seconds + "s.wav");
    }

    Path tones() {
        return tones;
    }

    /** Starts node {@code nodeId} with these extra environment settings. */
    void start(String nodeId, Map<String, String> env) throws IOException {
        Path home = Files.createDirectories(dir.resolve(nodeId));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--port", "0", "--host", "127.0.0.1", "--engine", "vosk", "--no-auth"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(nodeId + ".log").toFile()).directory(home.toFile());
        builder.environment().put("LIVECAP_ENGINE_VOSK_MODEL", model.toAbsolutePath().toString());
        builder.environment().put("LIVECAP_STORE_URL", storeUrl);
        builder.environment().put("LIVECAP_CLUSTER_NODE_ID", nodeId);
        builder.environment().putAll(env);
        processes.put(nodeId, builder.start());
    }

    /** The node's base URL for a websocket path, once it has announced itself (within 90 s). */
    URI ws(String nodeId, String path) throws Exception {
        return URI.create("ws://" + address(nodeId) + path);
    }

    URI http(String nodeId, String path) throws Exception {
        return URI.create("http://" + address(nodeId) + path);
    }

    private final Map<String, String> addresses = new LinkedHashMap<>();

    String address(String nodeId) throws Exception {
        String known = addresses.get(nodeId);
        if (known != null) {
            return known;
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            Process p = processes.get(nodeId);
            if (!p.isAlive()) {
                fail(nodeId + " exited " + p.exitValue() + ":\n" + log(nodeId));
            }
            String address = announced(nodeId);
            if (address != null && !address.endsWith(":0")) {
                addresses.put(nodeId, address);
                return address;
            }
            Thread.sleep(200); // polling a condition with a deadline
        }
        fail(nodeId + " did not announce itself within 90 s:\n" + log(nodeId));
        return null;
    }

    private String announced(String nodeId) {
        try (Connection c = DriverManager.getConnection(storeUrl);
             PreparedStatement q = c.prepareStatement("SELECT address FROM cluster_node WHERE node_id = ?")) {
            q.setString(1, nodeId);
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            return null; // not migrated yet, or the database is away
        }
    }

    String log(String nodeId) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(nodeId + ".log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    String logs() {
        StringBuilder all = new StringBuilder();
        for (String node : processes.keySet()) {
            all.append("\n--- ").append(node).append(":\n").append(log(node));
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Process p : processes.values()) {
            p.destroy();
        }
        for (Process p : processes.values()) {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
