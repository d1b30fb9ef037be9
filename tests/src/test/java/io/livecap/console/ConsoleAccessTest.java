package io.livecap.console;

import io.livecap.node.LivecapNode;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console behind operator credentials, over plain HTTP (no browser): the page sends a stranger to the login,
 * the login trades an operator key for an HttpOnly SameSite=Strict cookie that then opens the page, the API and the
 * event stream, and a key that is not an operator's is refused.
 */
class ConsoleAccessTest {

    private static LivecapNode node;
    private static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.secured(), TestEngines.pocketsphinx());
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    private static URI url(String path) {
        return URI.create("http://127.0.0.1:" + node.port() + path);
    }

    private static HttpResponse<String> get(String path, String cookie) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(10));
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> login(String key) throws Exception {
        return http.send(HttpRequest.newBuilder(url("/console/login")).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("key=" + key)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String cookieOf(HttpResponse<?> response) {
        String set = response.headers().firstValue("Set-Cookie").orElseThrow();
        return set.substring(0, set.indexOf(';'));
    }

    @Test
    void aStrangerIsSentToTheLoginFormAndTheApiStaysClosed() throws Exception {
        HttpResponse<String> page = get("/", null);
        assertEquals(303, page.statusCode());
        assertEquals("/console/login.html", page.headers().firstValue("Location").orElse(null));
        HttpResponse<String> form = get("/console/login.html", null);
        assertEquals(200, form.statusCode());
        assertTrue(form.body().contains("name=\"key\""), form.body());
        assertEquals(401, get("/v1/tasks", null).statusCode());
        assertEquals(401, get("/v1/console/events", null).statusCode());
        assertEquals(401, get("/v1/streams", "livecap_console=forged").statusCode(), "a made-up session id opens nothing");
    }

    @Test
    void anOperatorKeyBecomesAnHttpOnlyStrictCookieThatOpensTheConsole() throws Exception {
        String admin = node.firstAdminKey().orElseThrow();
        String operator = node.authenticator().mint(io.livecap.auth.Role.OPERATOR, null, "console test").secret();
        HttpResponse<String> in = login(operator);
        assertEquals(303, in.statusCode());
        assertEquals("/", in.headers().firstValue("Location").orElse(null));
        String set = in.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/"), set);
        assertTrue(!set.contains(operator), "the cookie is not the key");
        String cookie = cookieOf(in);

        HttpResponse<String> page = get("/", cookie);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("console.js"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        assertEquals(200, get("/v1/streams", cookie).statusCode(), "the REST API takes the cookie too");
        assertEquals(200, get("/v1/tasks", cookie).statusCode());
        assertEquals(200, get("/console/console.js", null).statusCode(), "the files hold no data: open");

        // the event stream: a first snapshot at once
        HttpResponse<java.io.InputStream> events = http.send(HttpRequest.newBuilder(url("/v1/console/events"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, events.statusCode());
        assertTrue(events.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8))) {
            assertEquals("event: snapshot", lines.readLine());
            String data = lines.readLine();
            assertTrue(data.startsWith("data: {\"streams\":"), data);
        }

        // revoking the key ends its console sessions
        String id = node.authenticator().identify(operator).orElseThrow().id();
        assertEquals(200, http.send(HttpRequest.newBuilder(url("/v1/tokens/" + id)).DELETE()
                .header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        assertEquals(401, get("/v1/streams", cookie).statusCode());
    }

    @Test
    void aKeyThatIsNotAnOperatorsIsRefused() throws Exception {
        String ingest = node.authenticator().mint(io.livecap.auth.Role.INGEST, null, "console test").secret();
        HttpResponse<String> in = login(ingest);
        assertEquals(303, in.statusCode());
        assertTrue(in.headers().firstValue("Location").orElse("").startsWith("/console/login.html?refused="));
        assertTrue(in.headers().firstValue("Set-Cookie").isEmpty());
        assertEquals(303, login("lc_nonsense").statusCode());
    }
}
