package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ASR workers as their own JVMs ({@code livecap serve --role worker}), as a deployment runs them: each on a port of
 * its own choosing (read back from its log), credentials off, an in-memory store unless told otherwise.
 */
final class WorkerProcesses implements AutoCloseable {

    private static final Pattern SERVING = Pattern.compile("livecap: serving on port (\\d+)");
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    /** One worker process and where it listens. */
    record Worker(String name, Process process, int port, Path log) {

        URI vosk() {
            return URI.create("ws://127.0.0.1:" + port + "/v1/vosk");
        }

        JsonNode get(String path) throws IOException, InterruptedException {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Json.MAPPER.readTree(response.body());
        }

        /** /v1/vosk sessions open on it now, as it announces them; -1 when it does not answer. */
        int openSessions() {
            try {
                return get("/healthz").path("open_sessions").asInt(-1);
            } catch (IOException e) {
                return -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }
    }

    private final Path dir;
    private final List<Worker> workers = new ArrayList<>();

    WorkerProcesses(Path dir) {
        this.dir = dir;
    }

    /** Starts a worker with {@code engine} and waits (90 s at most) until its /healthz answers. */
    Worker start(String name, String engine, int maxSessions) throws Exception {
        return start(name, engine, maxSessions, Map.of());
    }

    /** As above, with {@code env} added to (or replacing) its environment, e.g. a shared store's URL. */
    Worker start(String name, String engine, int maxSessions, Map<String, String> env) throws Exception {
        Path home = Files.createDirectories(dir.resolve(name));
        Path log = dir.resolve(name + ".log");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve", "--role", "worker",
                "--port", "0", "--host", "127.0.0.1", "--engine", engine, "--no-auth");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log.toFile()).directory(home.toFile());
        builder.environment().put("LIVECAP_STORE_URL", "jdbc:h2:mem:" + name);
        builder.environment().put("LIVECAP_CLUSTER_NODE_ID", name);
        builder.environment().put("LIVECAP_LIMITS_MAX_VOSK_SESSIONS", String.valueOf(maxSessions));
        builder.environment().putAll(env);
        Process process = builder.start();
        int[] port = {-1};
        await(name + " listening (" + log + ")", Duration.ofSeconds(90), () -> {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + ":\n" + tail(log));
            }
            Matcher serving = SERVING.matcher(read(log));
            if (serving.find()) {
                port[0] = Integer.parseInt(serving.group(1));
                return true;
            }
            return false;
        });
        Worker worker = new Worker(name, process, port[0], log);
        workers.add(worker);
        await(name + " healthy", Duration.ofSeconds(30), () -> worker.openSessions() == 0);
        return worker;
    }

    /** Every worker's last log lines, for a failure's message. */
    String logs() {
        StringBuilder all = new StringBuilder();
        for (Worker w : workers) {
            all.append("\n--- ").append(w.name()).append(":\n").append(tail(w.log()));
        }
        return all.toString();
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) {
            w.process().destroy();
        }
        for (Worker w : workers) {
            if (!w.process().waitFor(30, TimeUnit.SECONDS)) {
                w.process().destroyForcibly();
            }
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout.toSeconds() + " s waiting for " + what);
            }
            Thread.sleep(50); // polling an observable condition, not guessing a duration
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    private static String tail(Path log) {
        List<String> lines = read(log).lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
