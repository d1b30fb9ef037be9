package io.livecap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.livecap.node.LivecapNode;
import io.livecap.captions.Json;
import io.livecap.testkit.HlsServer;
import io.livecap.testkit.LiveEncoder;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Pulls are no SSRF channel (issue 12): loopback, private, link-local and metadata addresses are refused after DNS,
 * at the start (400 with the reason), on a redirect and on an HLS segment (the pull's status says why, and it fails),
 * and pulled as usual once {@code ingest.allowed_networks} lists them. Everything runs on loopback: the refusals of
 * 10.0.0.1 and 169.254.169.254 happen before any packet is sent, and the redirect and segment cases allow one
 * loopback port (the first hop) and not the other (the target).
 */
@Timeout(120)
class SafePullTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    @Test
    void pullsToLoopbackPrivateLinkLocalAndMetadataAddressesAreRefusedWithTheReason() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("ingest.allowed_networks", "")),
                ScriptedSpeechEngine.of("hello@0-400"))) {
            int own = node.port();
            Map<String, String> refusals = Map.ofEntries(
                    Map.entry("http://127.0.0.1:" + own + "/metrics", "a loopback address"),
                    Map.entry("http://localhost:" + own + "/live.m3u8", "loopback address"),
                    Map.entry("http://[::1]:" + own + "/live.m3u8", "a loopback address"),
                    Map.entry("http://10.0.0.1/live.m3u8", "a private address"),
                    Map.entry("http://192.168.1.1/live.m3u8", "a private address"),
                    Map.entry("http://100.64.0.1/live.m3u8", "a carrier-grade NAT address"),
                    Map.entry("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
                    Map.entry("http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata address"),
                    Map.entry("http://169.254.1.1/x.m3u8", "a link-local address"),
                    Map.entry("http://0.0.0.0:" + own + "/x.m3u8", "an unspecified address"),
                    Map.entry("http://[::ffff:127.0.0.1]:" + own + "/x.m3u8", "a loopback address"),
                    Map.entry("rtmp://127.0.0.1/live", "a loopback address"),
                    Map.entry("srt://127.0.0.1:22?mode=caller", "a loopback address"),
                    Map.entry("ws://localhost:" + own + "/v1/ingest", "loopback address"));
            for (Map.Entry<String, String> refusal : refusals.entrySet()) {
                HttpResponse<String> answer = post(node, "refused-1", refusal.getKey(), "");
                assertEquals(400, answer.statusCode(), refusal.getKey() + ": " + answer.body());
                String error = Json.MAPPER.readTree(answer.body()).path("error").asText();
                assertTrue(error.startsWith("refused: ") && error.contains(refusal.getValue())
                        && error.contains("ingest.allowed_networks"), refusal.getKey() + ": " + error);
            }
            for (String scheme : List.of("file:///etc/passwd", "gopher://example.com/", "concat:a",
                    "data:text/plain,hi", "ftp://example.com/x")) {
                HttpResponse<String> answer = post(node, "refused-2", scheme, "");
                assertEquals(400, answer.statusCode(), scheme + ": " + answer.body());
                assertTrue(answer.body().contains("the schemes a pull may use are"), scheme + ": " + answer.body());
            }
            assertTrue(streams(node).isEmpty(), "nothing was started: " + streams(node));
        }
    }

    @Test
    void aRedirectToLoopbackIsRefusedAndFollowedOnceAllowed() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("hls"));
        try (HlsServer origin = HlsServer.start(segments);
             LiveEncoder encoder = hlsEncoder(segments);
             Front front = Front.redirecting(origin.port())) {
            String url = "http://127.0.0.1:" + front.port() + "/redirect.m3u8";
            // the first hop allowed (its port only), the redirect's target (the origin's port) not
            try (LivecapNode node = LivecapNode.start(quickPulls("127.0.0.1/32:" + front.port()),
                    ScriptedSpeechEngine.of("hello@0-400"))) {
                assertEquals(201, post(node, "redirected", url, "").statusCode());
                JsonNode pull = awaitPull(node, "redirected", p -> p.path("state").asText().equals("failed"));
                String error = pull.path("last_error").asText();
                assertTrue(error.contains("refused: 127.0.0.1 port " + origin.port() + " is a loopback address"),
                        pull.toString());
                assertTrue(front.requests.stream().anyMatch(r -> r.equals("/redirect.m3u8")), "the first hop ran");
            }
            try (LivecapNode node = LivecapNode.start(quickPulls("127.0.0.1/32:" + front.port() + ",127.0.0.1/32:"
                    + origin.port()), ScriptedSpeechEngine.of("hello@0-400"))) {
                awaitFile(segments.resolve("live.m3u8"));
                assertEquals(201, post(node, "redirected", url, "").statusCode());
                awaitPull(node, "redirected", p -> p.path("state").asText().equals("live"));
            }
        }
    }

    @Test
    void anHlsPlaylistWhoseSegmentsPointAtLoopbackIsRefusedAndPulledOnceAllowed() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("hls"));
        try (HlsServer origin = HlsServer.start(segments);
             LiveEncoder encoder = hlsEncoder(segments);
             Front front = Front.rewriting(segments, origin.port())) {
            awaitFile(segments.resolve("live.m3u8"));
            String url = "http://127.0.0.1:" + front.port() + "/live.m3u8";
            try (LivecapNode node = LivecapNode.start(quickPulls("127.0.0.1/32:" + front.port()),
                    ScriptedSpeechEngine.of("hello@0-400"))) {
                assertEquals(201, post(node, "segments", url, "").statusCode());
                JsonNode pull = awaitPull(node, "segments", p -> p.path("state").asText().equals("failed"));
                assertTrue(pull.path("last_error").asText().contains("refused: 127.0.0.1 port " + origin.port()
                        + " is a loopback address"), pull.toString());
                assertTrue(front.requests.contains("/live.m3u8"), "the playlist was read: " + front.requests);
            }
            try (LivecapNode node = LivecapNode.start(quickPulls("127.0.0.0/8"), ScriptedSpeechEngine.of("hello@0-400"))) {
                assertEquals(201, post(node, "segments", url, "").statusCode());
                awaitPull(node, "segments", p -> p.path("state").asText().equals("live"));
            }
        }
    }

    @Test
    void theTestServersArePulledWhenLoopbackIsAllowListed() throws Exception {
        Path segments = Files.createDirectories(dir.resolve("hls"));
        try (HlsServer origin = HlsServer.start(segments);
             LiveEncoder encoder = hlsEncoder(segments);
             LivecapNode node = LivecapNode.start(TestConfig.local(), ScriptedSpeechEngine.of("hello@0-400"))) {
            awaitFile(segments.resolve("live.m3u8"));
            // by name, through the test server's own relative redirect (/moved/X -> /X)
            HttpResponse<String> created = post(node, "allowed", origin.url("moved/live.m3u8"), "");
            assertEquals(201, created.statusCode(), created.body());
            awaitPull(node, "allowed", p -> p.path("state").asText().equals("live"));
        }
    }

    // --- helpers ---

    private static io.livecap.config.LivecapConfig quickPulls(String allowed) {
        return TestConfig.local(Map.of("ingest.allowed_networks", allowed, "ingest.pull_retry_first_ms", "100",
                "ingest.pull_retry_max_ms", "200", "ingest.pull_fail_after_attempts", "2"));
    }

    private LiveEncoder hlsEncoder(Path segments) throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        return LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1", "-hls_list_size", "6", "-hls_flags",
                        "delete_segments+temp_file", "-hls_start_number_source", "epoch"),
                segments.resolve("live.m3u8").toString(), dir.resolve("encoder.log"));
    }

    static HttpResponse<String> post(LivecapNode node, String id, String url, String key) throws Exception {
        String body = Json.write(Map.of("id", id, "url", url, "key", key));
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/streams"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode streams(LivecapNode node) throws Exception {
        return Json.MAPPER.readTree(HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + "/v1/streams")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).path("streams");
    }

    /** Polls {@code GET /v1/streams} (30 s at most) until the stream's pull matches. */
    static JsonNode awaitPull(LivecapNode node, String id, Predicate<JsonNode> wanted) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            for (JsonNode row : streams(node)) {
                if (row.path("stream_id").asText().equals(id)) {
                    last = row.path("pull");
                    if (wanted.test(last)) {
                        return last;
                    }
                }
            }
            Thread.sleep(100); // polling interval of a condition with a deadline
        }
        throw new AssertionError("pull " + id + " never got there; last seen: " + last);
    }

    static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(file)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(file + " never appeared");
            }
            Thread.sleep(100); // polling interval of a condition with a deadline
        }
    }

    /**
     * An HTTP server in front of the HLS origin, on another loopback port: it either redirects to the origin, or
     * serves the origin's playlist rewritten so that every segment is an absolute URL on the origin's port.
     */
    private static final class Front implements AutoCloseable {
        final List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final HttpServer http;

        private Front(HttpServer http) {
            this.http = http;
        }

        int port() {
            return http.getAddress().getPort();
        }

        static Front redirecting(int originPort) throws Exception {
            Front front = new Front(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8));
            front.http.createContext("/", exchange -> {
                try (exchange) {
                    front.requests.add(exchange.getRequestURI().getPath());
                    exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + originPort + "/live.m3u8");
                    exchange.sendResponseHeaders(302, -1);
                }
            });
            front.http.start();
            return front;
        }

        static Front rewriting(Path segments, int originPort) throws Exception {
            Front front = new Front(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8));
            front.http.createContext("/", exchange -> {
                try (exchange) {
                    front.requests.add(exchange.getRequestURI().getPath());
                    String playlist;
                    try {
                        playlist = Files.readString(segments.resolve("live.m3u8"));
                    } catch (NoSuchFileException e) {
                        exchange.sendResponseHeaders(404, -1);
                        return;
                    }
                    byte[] body = playlist.lines().map(l -> l.isBlank() || l.startsWith("#") ? l
                                    : "http://127.0.0.1:" + originPort + "/" + l.strip())
                            .collect(Collectors.joining("\n", "", "\n")).getBytes(StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, body.length);
                    exchange.getResponseBody().write(body);
                }
            });
            front.http.start();
            return front;
        }

        @Override
        public void close() {
            http.stop(0);
        }
    }
}
