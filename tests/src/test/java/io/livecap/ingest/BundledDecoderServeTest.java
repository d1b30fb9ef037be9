package io.livecap.ingest;

import io.livecap.testkit.TestMedia;
import io.livecap.testkit.LiveEncoder;
import io.livecap.testkit.RtmpServer;
import io.livecap.testkit.HlsServer;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import ws.schild.jave.process.ffmpeg.DefaultFFMPEGLocator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code livecap serve} on a machine whose only ffmpeg is the bundled static one (LIVECAP_FFMPEG points at it):
 * it says at start-up that this decoder cannot resolve host names, still pulls {@code rtmp://localhost} and
 * {@code http://localhost/...m3u8} (resolved in Java; livecap reads HLS itself and relays RTMP, so ffmpeg never
 * resolves a name), and takes {@code https://localhost} too now that livecap does its TLS.
 */
@Timeout(120)
class BundledDecoderServeTest {

    @TempDir
    Path dir;

    @Test
    void serveWithOnlyTheBundledFfmpegPullsByHostNameWhereItCanAndSaysWhereItCannot() throws Exception {
        assumeTrue(RtmpServer.available(), RtmpServer.MISSING);
        String bundled = new DefaultFFMPEGLocator().getExecutablePath();
        int port = LiveEncoder.freePort();
        Path log = dir.resolve("serve.log");
        ProcessBuilder builder = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--port", String.valueOf(port), "--host", "127.0.0.1", "--engine", "pocketsphinx", "--no-auth"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("LIVECAP_FFMPEG", bundled);
        builder.environment().put("LIVECAP_STORE_URL", "jdbc:h2:mem:bundled;DB_CLOSE_DELAY=-1");
        builder.environment().put("LIVECAP_INGEST_ALLOWED_NETWORKS", io.livecap.testkit.TestConfig.LOOPBACK_NETWORKS);
        Path flv = TestMedia.lecture("flv", 0);
        Path ts = TestMedia.lecture("mpegts", 0);
        Path segments = Files.createDirectories(dir.resolve("hls"));
        Process serve = builder.start();
        try (RtmpServer rtmp = RtmpServer.start(dir);
             LiveEncoder publisher = LiveEncoder.start(flv, List.of("-f", "flv"), rtmp.applicationUrl() + "/k1",
                     dir.resolve("publisher.log"));
             HlsServer origin = HlsServer.start(segments);
             LiveEncoder hls = LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
                     "-hls_flags", "delete_segments+temp_file"), segments.resolve("live.m3u8").toString(),
                     dir.resolve("hls.log"))) {
            String decoderLine = awaitLog(log, "decoder: ", serve);
            assertTrue(decoderLine.contains(bundled) && decoderLine.contains("cannot resolve host names"), decoderLine);
            LiveEncoder.awaitListening(port, java.time.Duration.ofSeconds(30));
            HttpClient http = HttpClient.newHttpClient();
            String api = "http://localhost:" + port + "/v1/streams";

            assertEquals(201, post(http, api, Map.of("id", "by-name-rtmp", "url", rtmp.applicationUrl(), "key", "k1"))
                    .statusCode());
            while (!Files.exists(segments.resolve("live.m3u8"))) {
                Thread.sleep(50); // poll interval; the test's timeout bounds it
            }
            assertEquals(201, post(http, api, Map.of("id", "by-name-hls", "url", origin.url("live.m3u8")))
                    .statusCode());
            awaitLive(http, api, "by-name-rtmp");
            awaitLive(http, api, "by-name-hls");

            HttpResponse<String> tls = post(http, api, Map.of("id", "by-name-https",
                    "url", "https://localhost:" + origin.port() + "/live.m3u8"));
            assertEquals(201, tls.statusCode(), tls.body());
        } finally {
            serve.destroy();
            if (!serve.waitFor(20, TimeUnit.SECONDS)) {
                serve.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        String all = Files.readString(log);
        assertTrue(!all.contains("signal 11"), "the bundled decoder never crashed on a name:\n" + all);
    }

    private static HttpResponse<String> post(HttpClient http, String api, Map<String, String> body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(api)).POST(HttpRequest.BodyPublishers.ofString(
                Json.write(body))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitLive(HttpClient http, String api, String id) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        String last = "";
        while (System.nanoTime() < deadline) {
            for (JsonNode row : Json.MAPPER.readTree(http.send(HttpRequest.newBuilder(URI.create(api)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).path("streams")) {
                if (row.path("stream_id").asText().equals(id)) {
                    last = row.path("pull").toString();
                    if (row.path("pull").path("state").asText().equals("live") && row.path("audio_ms").asLong() > 0) {
                        return;
                    }
                }
            }
            Thread.sleep(100); // poll interval
        }
        fail(id + " never went live; last: " + last);
    }

    private static String awaitLog(Path log, String marker, Process serve) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(log)) {
                if (line.contains(marker)) {
                    return line;
                }
            }
            assertTrue(serve.isAlive(), "serve exited:\n" + Files.readString(log));
            Thread.sleep(100); // poll interval
        }
        throw new AssertionError("no '" + marker + "' in the log:\n" + Files.readString(log));
    }
}
