package io.livecap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * livecap's {@code serve} in a process of its own, so that its CPU and memory are read from /proc apart from the
 * benchmark that loads it. It runs from this process's own class path (the jar) with an in-memory store, in a
 * session of its own ({@code setsid}), and its log goes to a file.
 */
final class ServerProcess implements AutoCloseable {

    /** A stream as {@code GET /v1/streams} shows it. */
    record StreamState(String id, String state, long audioMs, long backlogMs) {
    }

    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String engine;

    private final Path keyFile;
    private volatile String token;

    private ServerProcess(Process process, int port, Path log, String engine, Path keyFile) {
        this.keyFile = keyFile;
        this.process = process;
        this.port = port;
        this.log = log;
        this.engine = engine;
    }

    /** Starts {@code livecap serve --engine ENGINE} and returns once it answers {@code /healthz}. */
    static ServerProcess start(String engine, List<String> jvmOptions, Path log) throws IOException,
            InterruptedException {
        return start(engine, jvmOptions, log, java.util.Map.of());
    }

    /** As above, with settings in the server's environment ({@code LIVECAP_SECTION_KEY}, e.g. a soak's idle time). */
    static ServerProcess start(String engine, List<String> jvmOptions, Path log, java.util.Map<String, String> env)
            throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            // Linux's autogroup scheduling shares CPU between sessions first, then between their threads: in the
            // benchmark's session the server would compete with its own load generator and engine-alone loop
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--host", "127.0.0.1", "--port", Integer.toString(port), "--engine", engine));
        Files.createDirectories(log.toAbsolutePath().getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        // the benchmark keeps no captions: an in-memory store, so no disk writes skew the numbers
        builder.environment().put("LIVECAP_STORE_URL", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
        // its own admin key, beside its log (owner-only), never the user's key file
        Path keyFile = log.toAbsolutePath().resolveSibling(log.getFileName() + ".admin.key");
        Files.deleteIfExists(keyFile);
        builder.environment().put("LIVECAP_AUTH_ADMIN_KEY_FILE", keyFile.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        ServerProcess server = new ServerProcess(process, port, log, engine, keyFile);
        // a benchmark stopped with Ctrl-C must not leave its server running
        Thread stopper = new Thread(process::destroy, "bench-server-stop");
        Runtime.getRuntime().addShutdownHook(stopper);
        process.onExit().thenRun(() -> {
            try {
                Runtime.getRuntime().removeShutdownHook(stopper);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run
            }
        });
        try {
            server.awaitHealthy();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The admin key the server created at its start (written before it answers /healthz). */
    String token() {
        if (token == null) {
            token = io.livecap.node.AdminKeyFile.read(keyFile)
                    .orElseThrow(() -> new IllegalStateException("the server wrote no admin key to " + keyFile));
        }
        return token;
    }

    long pid() {
        return process.pid();
    }

    URI url(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    List<StreamState> streams() throws IOException, InterruptedException {
        JsonNode body = get("/v1/streams");
        List<StreamState> streams = new ArrayList<>();
        for (JsonNode s : body.path("streams")) {
            streams.add(new StreamState(s.path("stream_id").asText(), s.path("state").asText(),
                    s.path("audio_ms").asLong(), s.path("backlog_ms").asLong()));
        }
        return streams;
    }

    /** {@code GET /v1/streams} as the server answers it. */
    JsonNode streamsJson() throws IOException, InterruptedException {
        return get("/v1/streams");
    }

    /** {@code GET /healthz}: streams, recognisers open. */
    JsonNode health() throws IOException, InterruptedException {
        return get("/healthz");
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (!path.equals("/healthz")) {
            request.header("Authorization", "Bearer " + token());
        }
        HttpResponse<String> response = http.send(request
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + " answered " + response.statusCode() + ": " + response.body());
        }
        return Json.MAPPER.readTree(response.body());
    }

    private void awaitHealthy() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("livecap serve exited with " + process.exitValue() + " before it was ready:\n"
                        + tail());
            }
            try {
                JsonNode health = get("/healthz");
                if (!health.path("engine").asText().equals(engine)) {
                    throw new IOException("server runs engine " + health.path("engine").asText() + ", not " + engine);
                }
                return;
            } catch (java.net.ConnectException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("livecap serve did not answer /healthz within " + START_TIMEOUT + ":\n"
                            + tail());
                }
                // the server is still loading its model; poll again, as a load balancer's health check would
                process.waitFor(100, TimeUnit.MILLISECONDS);
            }
        }
    }

    /** The last lines of the server's log, for an error message. */
    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** SIGTERM (livecap finishes its streams and frees the engine), then a kill if it hangs. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
