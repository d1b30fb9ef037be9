package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestAuthority;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * https and wss on livecap's port with a CA and server certificate made at test time (BouncyCastle): captions
 * end to end over wss, the REST API over https, and, when TLS is required, plain http refused with a clear answer.
 */
class TlsEndToEndTest {

    @TempDir
    static Path dir;
    private static TestAuthority authority;

    @BeforeAll
    static void makeCertificates() throws IOException {
        authority = TestAuthority.issueForLocalhost(dir);
    }

    @Test
    void captionsFlowOverWssAndTheApiOverHttps() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.tls(authority, true), TestEngines.pocketsphinx())) {
            assertTrue(node.url("/x").toString().startsWith("wss://"), node.url("/x").toString());
            WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
            short[] clip = Arrays.copyOf(lecture.samples(), 8 * 16_000);
            AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
            StreamRun run = new StreamRun(node, "tls-ev1", new AudioFeeder()).trusting(authority.clientContext());
            run.open(audio).feedAll(audio);
            String reference = "the committee will meet on tuesday to discuss the new budget the president said"
                    + " the government would raise taxes next year";
            double wer = WordErrorRate.of(reference, run.finalText());
            assertTrue(!run.finals().isEmpty() && wer <= 0.25, "finals over wss: WER " + wer + " " + run.finalText());

            HttpClient https = HttpClient.newBuilder().sslContext(authority.clientContext()).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + node.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode());
            assertEquals("ok", Json.MAPPER.readTree(health.body()).path("status").asText());
        }
    }

    @Test
    void plainHttpIsRefusedWhenTlsIsRequired() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.tls(authority, true), TestEngines.pocketsphinx())) {
            String answer = rawExchange(node.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
            assertTrue(answer.contains("TLS only: use https:// or wss://"), answer);

            // a plain websocket client is told the same
            CaptionClient plain = new CaptionClient(URI.create("ws://127.0.0.1:" + node.port() + "/v1/captions/x"));
            IOException refused = assertThrows(IOException.class, () -> plain.connect(5_000));
            assertTrue(refused.getMessage().contains("400"), refused.getMessage());
        }
    }

    @Test
    void withTlsOptionalThePortSpeaksBoth() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.tls(authority, false), TestEngines.pocketsphinx())) {
            String plain = rawExchange(node.port(), "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n");
            assertTrue(plain.startsWith("HTTP/1.1 200 "), plain);
            HttpClient https = HttpClient.newBuilder().sslContext(authority.clientContext()).build();
            assertEquals(200, https.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + node.port()
                    + "/healthz")).build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCaIsRefusedAndTheServerSaysWhyQuietly() throws Exception {
        try (LivecapNode node = LivecapNode.start(TestConfig.tls(authority, true), TestEngines.pocketsphinx())) {
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            IOException failed = assertThrows(IOException.class, () -> untrusting.send(HttpRequest.newBuilder(
                    URI.create("https://localhost:" + node.port() + "/healthz")).build(),
                    HttpResponse.BodyHandlers.ofString()));
            assertTrue(failed instanceof SSLHandshakeException || failed.getCause() instanceof SSLHandshakeException,
                    failed.toString());
            CaptionClient wss = new CaptionClient(node.url("/v1/captions/x"));
            IOException explained = assertThrows(IOException.class, () -> wss.connect(5_000));
            assertTrue(explained.getMessage().contains("TLS failed"), explained.getMessage());
            JsonNode ok = Json.MAPPER.readTree(HttpClient.newBuilder().sslContext(authority.clientContext()).build()
                    .send(HttpRequest.newBuilder(URI.create("https://localhost:" + node.port() + "/healthz"))
                            .build(), HttpResponse.BodyHandlers.ofString()).body());
            assertEquals("ok", ok.path("status").asText(), "the server keeps serving after the refused handshakes");
        }
    }

    /** Writes a request on a plain socket and reads until the server closes (bounded by the socket timeout). */
    private static String rawExchange(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
