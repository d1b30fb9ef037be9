package io.livecap.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.client.IngestClient;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every endpoint, anonymous and with each role and stream token, over real HTTP and real websocket handshakes:
 * only the roles the README's table names pass; the others get 401 (no or unknown credential) or 403 (the wrong
 * role) with a JSON reason.
 */
@Timeout(120)
class AccessControlTest {

    private static final String STREAM = "s1";
    private static LivecapNode node;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** credential name -> secret (null = anonymous) */
    private static final Map<String, String> CREDENTIALS = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        LivecapConfig config = TestConfig.secured();
        config = config.withAuth(new LivecapConfig.Auth(true, "", true)); // /metrics protected
        node = LivecapNode.start(config, ScriptedSpeechEngine.of("hello@0-300 world@300-600"));
        String admin = node.firstAdminKey().orElseThrow();
        CREDENTIALS.put("anonymous", null);
        CREDENTIALS.put("unknown", "lc_not-a-key-anyone-was-given");
        CREDENTIALS.put("admin", admin);
        CREDENTIALS.put("operator", mint(admin, "{\"role\":\"operator\"}"));
        CREDENTIALS.put("ingest", mint(admin, "{\"role\":\"ingest\"}"));
        CREDENTIALS.put("captions-read", mint(admin, "{\"role\":\"captions-read\"}"));
        CREDENTIALS.put("publish-s1", mint(admin, "{\"stream_id\":\"s1\",\"scope\":\"publish\"}"));
        CREDENTIALS.put("read-s1", mint(admin, "{\"stream_id\":\"s1\",\"scope\":\"read\"}"));
        CREDENTIALS.put("publish-other", mint(admin, "{\"stream_id\":\"other\",\"scope\":\"publish\"}"));
        CREDENTIALS.put("read-other", mint(admin, "{\"stream_id\":\"other\",\"role\":\"captions-read\"}"));
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.closeWithEngine();
        }
    }

    /** One endpoint and who may use it. */
    private record Endpoint(String method, String path, String body, boolean websocket, Set<String> allowed) {
    }

    private static final Set<String> EVERYONE = Set.of("anonymous", "unknown", "admin", "operator", "ingest",
            "captions-read", "publish-s1", "read-s1", "publish-other", "read-other");
    private static final Set<String> OPERATORS = Set.of("admin", "operator");

    private static List<Endpoint> endpoints() {
        return List.of(
                new Endpoint("GET", "/healthz", null, false, EVERYONE),
                new Endpoint("GET", "/metrics", null, false, OPERATORS),
                new Endpoint("GET", "/v1/streams", null, false, OPERATORS),
                new Endpoint("POST", "/v1/streams", "{}", false, OPERATORS),
                new Endpoint("GET", "/v1/streams/s1/health", null, false, OPERATORS),
                new Endpoint("GET", "/v1/streams/s1/timing", null, false, OPERATORS),
                new Endpoint("PUT", "/v1/streams/s1/channel-strategy", "{\"strategy\":\"swap\"}", false, OPERATORS),
                new Endpoint("DELETE", "/v1/streams/s1", null, false, OPERATORS),
                new Endpoint("GET", "/v1/tasks", null, false, OPERATORS),
                new Endpoint("POST", "/v1/tasks/us/1/retry-delivery", null, false, OPERATORS),
                new Endpoint("GET", "/v1/tokens", null, false, OPERATORS),
                new Endpoint("GET", "/v1/captions", null, false, OPERATORS),
                new Endpoint("DELETE", "/v1/captions/s1", null, false, Set.of("admin")),
                new Endpoint("POST", "/v1/tokens", "{\"stream_id\":\"s1\",\"scope\":\"read\"}", false, OPERATORS),
                new Endpoint("POST", "/v1/tokens", "{\"role\":\"ingest\"}", false, Set.of("admin")),
                new Endpoint("GET", "/v1/ingest/s1", null, true, Set.of("admin", "ingest", "publish-s1")),
                new Endpoint("GET", "/v1/captions/s1", null, true, Set.of("admin", "captions-read", "read-s1")),
                new Endpoint("GET", "/v1/vosk", null, true, Set.of("admin", "ingest")));
    }

    @Test
    void onlyTheRightRolePassesEveryEndpoint() throws Exception {
        List<String> wrong = new ArrayList<>();
        int checked = 0;
        for (Endpoint endpoint : endpoints()) {
            for (Map.Entry<String, String> credential : CREDENTIALS.entrySet()) {
                Answer answer = endpoint.websocket() ? handshake(endpoint.path(), credential.getValue())
                        : request(endpoint, credential.getValue());
                boolean shouldPass = endpoint.allowed().contains(credential.getKey());
                int expectedRefusal = credential.getValue() == null || credential.getKey().equals("unknown") ? 401 : 403;
                String what = endpoint.method() + " " + endpoint.path() + " " + endpoint.body() + " as "
                        + credential.getKey() + ": " + answer.status() + " " + answer.body();
                if (shouldPass) {
                    if (answer.status() == 401 || answer.status() == 403
                            || (endpoint.websocket() && answer.status() != 101)) {
                        wrong.add("refused but allowed: " + what);
                    }
                } else if (answer.status() != expectedRefusal) {
                    wrong.add("expected " + expectedRefusal + ": " + what);
                } else {
                    JsonNode reason = Json.MAPPER.readTree(answer.body());
                    if (reason.path("error").asText().isEmpty() || !reason.has("code")) {
                        wrong.add("no JSON reason: " + what);
                    }
                }
                checked++;
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(endpoints().size() * CREDENTIALS.size(), checked);
    }

    @Test
    void theTokenQueryParameterWorksLikeTheHeader() throws Exception {
        String read = CREDENTIALS.get("read-s1");
        assertEquals(101, handshake("/v1/captions/s1?token=" + read, null).status());
        assertEquals(403, handshake("/v1/captions/other?token=" + read, null).status());
        HttpResponse<String> streams = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/streams?token="
                + CREDENTIALS.get("operator"))).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, streams.statusCode(), streams.body());
    }

    @Test
    void aClientRefusedForItsRoleSaysForbidden() throws Exception {
        try (IngestClient wrongRole = new IngestClient(node.url("/v1/ingest/s1")).token(CREDENTIALS.get("read-s1"))) {
            IOException refused = assertThrows(IOException.class, () -> wrongRole.connect(10_000));
            assertTrue(refused.getMessage().contains("403") && refused.getMessage().contains("needs role ingest"),
                    refused.getMessage());
        }
    }

    @Test
    void anOperatorRevokesStreamTokensButNotKeys() throws Exception {
        String admin = CREDENTIALS.get("admin");
        String operator = CREDENTIALS.get("operator");
        JsonNode token = Json.MAPPER.readTree(post(admin, "{\"stream_id\":\"s2\",\"scope\":\"publish\"}").body());
        JsonNode key = Json.MAPPER.readTree(post(admin, "{\"role\":\"captions-read\"}").body());
        assertEquals(403, delete(operator, key.path("id").asText()).statusCode());
        assertEquals(200, delete(operator, token.path("id").asText()).statusCode());
        assertEquals(401, handshake("/v1/ingest/s2", token.path("token").asText()).status(), "revoked: unknown now");
        assertEquals(200, delete(admin, key.path("id").asText()).statusCode());
        assertEquals(404, delete(admin, key.path("id").asText()).statusCode(), "already revoked");
        String listing = HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tokens"))
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(!listing.contains(admin) && !listing.contains("secret_hash") && listing.contains("\"role\":\"admin\""),
                "the list shows credentials, never a secret or a hash: " + listing);
    }

    private record Answer(int status, String body) {
    }

    private static Answer request(Endpoint endpoint, String secret) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + endpoint.path()))
                .method(endpoint.method(), endpoint.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(endpoint.body()));
        if (secret != null) {
            request.header("Authorization", "Bearer " + secret);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), response.body());
    }

    /** A real websocket opening handshake over a socket: the status line, and the body of a refusal. */
    private static Answer handshake(String path, String secret) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + (secret == null ? "" : "Authorization: Bearer " + secret + "\r\n") + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            int read = 0;
            while (read < length) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    break;
                }
                read += n;
            }
            return new Answer(status, new String(body, 0, read));
        }
    }

    private static String mint(String admin, String body) throws Exception {
        HttpResponse<String> response = post(admin, body);
        assertEquals(201, response.statusCode(), response.body());
        return Json.MAPPER.readTree(response.body()).path("token").asText();
    }

    private static HttpResponse<String> post(String secret, String body) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tokens"))
                .header("Authorization", "Bearer " + secret).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> delete(String secret, String id) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base() + "/v1/tokens/" + id))
                .header("Authorization", "Bearer " + secret).DELETE().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String base() {
        return "http://127.0.0.1:" + node.port();
    }
}
