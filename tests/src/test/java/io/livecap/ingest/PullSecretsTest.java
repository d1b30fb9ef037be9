package io.livecap.ingest;

import io.livecap.node.LivecapNode;
import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.HlsServer;
import io.livecap.testkit.LiveEncoder;
import io.livecap.testkit.RtmpServer;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestMedia;
import io.livecap.testkit.WebSocketMediaServer;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.livecap.ingest.SafePullTest.awaitFile;
import static io.livecap.ingest.SafePullTest.awaitPull;
import static io.livecap.ingest.SafePullTest.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No pull secret shows (issue 12): after pulls with credentials in the URL's userinfo and query, in the key field
 * and in the environment ({@code LIVECAP_MEDIA_KEY_<ID>} of {@code serve --pull}), the test greps every captured log
 * line, every API answer, {@code /metrics} and the {@code /proc/PID/cmdline} of every process livecap started
 * (its ffmpeg decoders, found among this JVM's descendants) for each secret: none may appear.
 */
@Timeout(180)
class PullSecretsTest {

    private static final String USER = "pulluser";
    private static final String PASSWORD = "userinfo-s3cret-4411";
    private static final String QUERY_SECRET = "query-s3cret-5522";
    private static final String KEY = "keyfield-s3cret-6633";
    private static final String ENV_KEY = "environment-s3cret-7744";
    private static final List<String> SECRETS = List.of(PASSWORD, QUERY_SECRET, KEY, ENV_KEY);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void secretsInTheUrlAndTheKeyFieldAppearInNoLogAnswerMetricOrChildArguments() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("hls"));
        Path ts = TestMedia.lecture("mpegts", 0);
        int wsPort = LiveEncoder.freePort();
        List<String> seen = new ArrayList<>(); // every API answer
        List<String> argv = new ArrayList<>(); // every child's arguments while the pulls ran
        try (CapturedLogs logs = new CapturedLogs();
             HlsServer origin = HlsServer.start(segments);
             LiveEncoder encoder = LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1", "-hls_list_size",
                     "6", "-hls_flags", "delete_segments+temp_file", "-hls_start_number_source", "epoch"),
                     segments.resolve("live.m3u8").toString(), dir.resolve("encoder.log"));
             WebSocketMediaServer ws = WebSocketMediaServer.start(wsPort, KEY,
                     LiveEncoder.start(ts, List.of("-f", "mpegts"), "pipe:1", dir.resolve("ws-encoder.log")));
             // the RTMP stream key goes through livecap's relay, not ffmpeg's arguments
             RtmpServer rtmp = RtmpServer.available() ? RtmpServer.start(dir) : null;
             LiveEncoder publisher = rtmp == null ? null : LiveEncoder.start(TestMedia.lecture("flv", 0),
                     List.of("-f", "flv"), rtmp.applicationUrl() + "/" + KEY, dir.resolve("publisher.log"));
             LivecapNode node = LivecapNode.start(TestConfig.local(), ScriptedSpeechEngine.of("hello@0-400"))) {
            awaitFile(segments.resolve("live.m3u8"));
            String hls = "http://" + USER + ":" + PASSWORD + "@localhost:" + origin.port() + "/live.m3u8?token="
                    + QUERY_SECRET + "&t=1";
            HttpResponse<String> created = post(node, "secret-hls", hls, KEY);
            assertEquals(201, created.statusCode(), created.body());
            assertTrue(created.body().contains("http://***@localhost:" + origin.port()
                    + "/live.m3u8?token=***&t=***&key=***"), "redacted, not dropped: " + created.body());
            seen.add(created.body());
            HttpResponse<String> wsCreated = post(node, "secret-ws", "ws://localhost:" + wsPort + "/media", KEY);
            assertEquals(201, wsCreated.statusCode(), wsCreated.body());
            seen.add(wsCreated.body());
            // a pull that fails says why, with the URL in its error: redacted there too
            HttpResponse<String> missing = post(node, "secret-404", "http://" + USER + ":" + PASSWORD
                    + "@localhost:" + origin.port() + "/missing.m3u8?token=" + QUERY_SECRET, KEY);
            seen.add(missing.body());

            if (rtmp != null) {
                HttpResponse<String> rtmpCreated = post(node, "secret-rtmp", rtmp.applicationUrl(), KEY);
                assertEquals(201, rtmpCreated.statusCode(), rtmpCreated.body());
                seen.add(rtmpCreated.body());
            }
            awaitPull(node, "secret-hls", p -> p.path("state").asText().equals("live"));
            awaitPull(node, "secret-ws", p -> p.path("state").asText().equals("live"));
            String failed = awaitPull(node, "secret-404", p -> p.path("last_error").asText().contains("404"))
                    .toString();
            assertTrue(failed.contains("/missing.m3u8?token=***"), failed);
            if (rtmp != null) {
                awaitPull(node, "secret-rtmp", p -> p.path("state").asText().equals("live"));
            }
            // livecap's decoders (the test's own encoders and publisher know the key: they are the source)
            argv.addAll(childArguments().stream().filter(a -> a.contains("ashowinfo")).toList());
            assertTrue(argv.size() >= (rtmp != null ? 3 : 2), "a decoder per live pull: " + argv);
            if (rtmp != null) {
                assertTrue(argv.stream().anyMatch(a -> a.contains("-i rtmp://127.0.0.1:")), "through the relay: " + argv);
            }
            for (String path : List.of("/v1/streams", "/v1/streams/secret-hls/health", "/v1/streams/secret-ws/health",
                    "/v1/streams/secret-404", "/metrics", "/healthz")) {
                seen.add(get(node, path));
            }
            seen.add(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/streams/secret-hls")).DELETE().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            List<String> lines = logs.lines();
            assertTrue(lines.stream().anyMatch(l -> l.contains("secret-hls")), "the pulls were logged");
            assertNoSecret("log lines", lines);
        }
        assertNoSecret("API answers", seen);
        assertNoSecret("child process arguments", argv);
    }

    @Test
    void aKeyFromTheEnvironmentOfServePullReachesNeitherItsOutputNorItsChildrensArguments() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("hls"));
        Path ts = TestMedia.lecture("mpegts", 0);
        try (HlsServer origin = HlsServer.start(segments);
             LiveEncoder encoder = LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1", "-hls_list_size",
                     "6", "-hls_flags", "delete_segments+temp_file", "-hls_start_number_source", "epoch"),
                     segments.resolve("live.m3u8").toString(), dir.resolve("encoder.log"))) {
            awaitFile(segments.resolve("live.m3u8"));
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                    "--port", "0", "--host", "127.0.0.1", "--engine", "pocketsphinx", "--no-auth",
                    "--pull", "env-pull=http://localhost:" + origin.port() + "/live.m3u8"));
            ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
            builder.environment().put("LIVECAP_MEDIA_KEY_ENV_PULL", ENV_KEY);
            builder.environment().put("LIVECAP_INGEST_ALLOWED_NETWORKS", TestConfig.LOOPBACK_NETWORKS);
            builder.environment().put("LIVECAP_STORE_URL", "jdbc:h2:mem:env-pull;DB_CLOSE_DELAY=-1");
            Process serve = builder.start();
            List<String> output = new CopyOnWriteArrayList<>();
            int[] port = {0};
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(serve.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        output.add(line);
                        Matcher serving = Pattern.compile("serving on port (\\d+)").matcher(line);
                        if (serving.find()) {
                            synchronized (port) {
                                port[0] = Integer.parseInt(serving.group(1));
                                port.notifyAll();
                            }
                        }
                    }
                } catch (IOException e) {
                    output.add("(output broke: " + e.getMessage() + ")");
                }
            }, "serve-output");
            reader.setDaemon(true);
            reader.start();
            List<String> argv = new ArrayList<>();
            try {
                int at = awaitPort(port, serve, output);
                String streams = "";
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (!streams.contains("\"live\"")) {
                    assertTrue(System.nanoTime() < deadline, "the pull never went live: " + streams + output);
                    Thread.sleep(200); // polling interval of a condition with a deadline
                    streams = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + at + "/v1/streams"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body();
                }
                argv.addAll(childArguments());
                assertTrue(argv.stream().anyMatch(a -> a.contains("ashowinfo")), "serve's decoder was seen: " + argv);
                assertNoSecret("GET /v1/streams", List.of(streams));
            } finally {
                serve.destroy();
                if (!serve.waitFor(30, TimeUnit.SECONDS)) {
                    serve.destroyForcibly();
                }
                reader.join(5_000);
            }
            assertNoSecret("serve's output (its log)", output);
            assertNoSecret("child process arguments", argv);
        }
    }

    private static int awaitPort(int[] port, Process serve, List<String> output) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        synchronized (port) {
            while (port[0] == 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(left > 0 && serve.isAlive(), "serve did not start: " + output);
                port.wait(Math.min(left, 500));
            }
            return port[0];
        }
    }

    /** {@code /proc/PID/cmdline} (what any user on the machine can read) of every process this JVM started. */
    private static List<String> childArguments() {
        List<String> all = new ArrayList<>();
        ProcessHandle.current().descendants().forEach(child -> {
            try {
                all.add(new String(Files.readAllBytes(Path.of("/proc", String.valueOf(child.pid()), "cmdline")),
                        StandardCharsets.UTF_8).replace('\0', ' '));
            } catch (IOException e) {
                // it exited meanwhile
            }
        });
        return all;
    }

    private static String get(LivecapNode node, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void assertNoSecret(String where, List<String> texts) {
        assertFalse(texts.isEmpty(), where + ": nothing was captured");
        for (String text : texts) {
            for (String secret : SECRETS) {
                assertFalse(text.contains(secret), where + " show a secret: " + text);
            }
        }
    }
}
