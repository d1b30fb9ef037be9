package io.livecap.cli;

import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line and credentials, as a user meets them: the first {@code serve} creates the admin key, keeps it
 * in an owner-only file and prints it once (a second start does not, and no log line ever holds it);
 * {@code --no-auth} warns; {@code feed} and {@code listen} on the server's machine just work with the key file.
 */
@Timeout(180)
class CredentialsCommandLineTest {

    private static final Pattern KEY = Pattern.compile("lc_[A-Za-z0-9_-]{43}");
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    /** A command run as its own process, its output (stdout and stderr) kept line by line as it comes. */
    private static final class Run implements AutoCloseable {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();
        final CompletableFuture<Integer> port = new CompletableFuture<>();

        Run(Path dir, List<String> args, String keyFile) throws IOException {
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main"));
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().remove("LIVECAP_TOKEN");
            if (keyFile != null) {
                builder.environment().put("LIVECAP_AUTH_ADMIN_KEY_FILE", keyFile);
            }
            process = builder.start();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                        Matcher serving = Pattern.compile("serving on port (\\d+)").matcher(line);
                        if (serving.find()) {
                            port.complete(Integer.parseInt(serving.group(1)));
                        }
                    }
                } catch (IOException e) {
                    port.completeExceptionally(e);
                }
                port.completeExceptionally(new IOException("exited before serving: " + lines));
            }, "output-" + args.get(0));
            reader.setDaemon(true);
            reader.start();
        }

        int awaitPort() throws Exception {
            return port.get(90, TimeUnit.SECONDS);
        }

        int awaitExit() throws Exception {
            assertTrue(process.waitFor(120, TimeUnit.SECONDS), "still running: " + lines);
            return process.exitValue();
        }

        String output() {
            return String.join("\n", lines);
        }

        @Override
        public void close() throws Exception {
            process.destroy(); // SIGTERM: serve's shutdown hook finishes
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    private static List<String> serve(String... more) {
        List<String> args = new ArrayList<>(List.of("serve", "--port", "0", "--host", "127.0.0.1", "--engine", "pocketsphinx"));
        args.addAll(List.of(more));
        return args;
    }

    @Test
    void theFirstServeCreatesTheAdminKeyPrintsItOnceAndKeepsItOwnerOnly() throws Exception {
        String key;
        String firstOutput;
        try (Run first = new Run(dir, serve(), null)) {
            int port = first.awaitPort();
            Path file = dir.resolve("data/admin.key");
            assertTrue(Files.isRegularFile(file), first.output());
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            key = Files.readString(file).trim();
            assertTrue(KEY.matcher(key).matches(), key);
            assertEquals(200, get(port, "/v1/streams", key), "the key works");
            assertEquals(401, get(port, "/v1/streams", null), "anonymous is refused");
            assertEquals(200, get(port, "/healthz", null), "/healthz stays open");
            firstOutput = first.output();
        }
        assertEquals(1, occurrences(firstOutput, key), "printed exactly once:\n" + firstOutput);
        assertTrue(firstOutput.contains("Authorization: Bearer"), "with how to use it:\n" + firstOutput);
        for (String line : firstOutput.split("\n")) {
            if (line.contains(key)) {
                assertFalse(line.contains("INFO") || line.contains("WARN") || line.contains(" io.livecap."),
                        "printed, not logged: " + line);
            }
        }
        try (Run second = new Run(dir, serve(), null)) {
            int port = second.awaitPort();
            assertEquals(200, get(port, "/v1/streams", key), "the stored key still works after a restart");
            second.close();
            assertFalse(KEY.matcher(second.output()).find(), "no key printed again:\n" + second.output());
            assertEquals(key, Files.readString(dir.resolve("data/admin.key")).trim(), "the file is kept");
        }
    }

    @Test
    void noAuthWarnsLoudly() throws Exception {
        try (Run lab = new Run(dir, serve("--no-auth"), null)) {
            int port = lab.awaitPort();
            assertEquals(200, get(port, "/v1/streams", null), "anyone may, in a lab");
            assertTrue(lab.lines.stream().anyMatch(l -> l.contains("WARN") && l.contains("AUTHENTICATION IS OFF")),
                    lab.output());
            assertFalse(Files.exists(dir.resolve("data/admin.key")), "no key is made for a lab");
        }
    }

    @Test
    void feedAndListenUseTheLocalKeyFile() throws Exception {
        Path keyFile = dir.resolve("keys/admin.key");
        LivecapConfig config = TestConfig.secured().withAuth(new LivecapConfig.Auth(true, keyFile.toString(), false));
        try (CapturedLogs logs = new CapturedLogs();
             LivecapNode node = LivecapNode.start(config, TestEngines.pocketsphinx())) {
            String key = node.firstAdminKey().orElseThrow();
            assertEquals(key, Files.readString(keyFile).trim());
            String base = "ws://127.0.0.1:" + node.port();
            try (Run listen = new Run(dir, List.of("listen", "--url", base + "/v1/captions/kf", "--finals-only"),
                    keyFile.toString())) {
                // listen says it waits once it is subscribed; only then does the stream start
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (listen.lines.stream().noneMatch(l -> l.contains("not live yet"))) {
                    assertTrue(System.nanoTime() < deadline && listen.process.isAlive(), listen.output());
                    Thread.sleep(50); // poll interval; the deadline bounds it
                }
                try (Run feed = new Run(dir, List.of("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url",
                        base + "/v1/ingest/kf"), keyFile.toString())) {
                    assertEquals(0, feed.awaitExit(), feed.output());
                }
                assertEquals(0, listen.awaitExit(), listen.output());
                assertTrue(listen.output().contains("\"final\":true"), listen.output());
            }
            try (Run refused = new Run(dir, List.of("feed", SharedAudio.file(SharedAudio.JFK).toString(), "--url",
                    base + "/v1/ingest/kf2", "--token", "lc_wrong"), keyFile.toString())) {
                assertNotEquals(0, refused.awaitExit());
                assertTrue(refused.output().contains("401"), refused.output());
            }
            assertTrue(logs.lines().stream().noneMatch(l -> l.contains(key)), "the key is in no log line");
        }
    }

    private int get(int port, String path, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private static int occurrences(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
