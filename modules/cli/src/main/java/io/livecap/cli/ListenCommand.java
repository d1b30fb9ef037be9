package io.livecap.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.client.CaptionClient;
import io.livecap.client.ClientTls;
import io.livecap.captions.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Subscribe to a stream's captions and print each message as one JSON line on stdout,",
                "until the stream's eos. On a stream that has ended it says so and stops (exit code 3),",
                "unless --from-seq / ?from_seq=N asks for a replay.", ""})
final class ListenCommand implements Callable<Integer> {

    static final int ENDED = 3;

    @Option(names = "--url", required = true, paramLabel = "ws://HOST:PORT/v1/captions/ID",
            description = "Caption URL; add ?from_seq=N to replay the finals after seq N first.")
    URI url;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "For wss:// URLs: trust only the CA certificates in this PEM file (default: the system's).")
    Path caFile;

    @Option(names = "--finals-only", description = "Print final captions only.")
    boolean finalsOnly;

    @Option(names = "--token", paramLabel = "TOKEN", description = {"A key or stream token (default: LIVECAP_TOKEN, else the",
            "local admin key file, auth.admin_key_file). Prefer the environment: a command line is visible to ps."})
    String token;

    private SSLContext tls;

    @Override
    public Integer call() throws Exception {
        String credential = ClientToken.resolve(token, System.getenv());
        tls = ClientTls.trustingOrSystem(caFile);
        try (CaptionClient client = new CaptionClient(url, message -> {
            if (!finalsOnly || !message.isCaption() || message.json().path("final").asBoolean()) {
                System.out.println(message.json());
                System.out.flush();
            }
        }).token(credential).trusting(tls)) {
            client.connect(10_000);
            if (url.getRawQuery() == null || !url.getRawQuery().contains("from_seq=")) {
                JsonNode notLive = notLive(credential);
                if (notLive != null && notLive.path("state").asText().equals("ended")) {
                    System.err.println("listen: " + notLive.path("error").asText());
                    return ENDED;
                }
                if (notLive != null) {
                    System.err.println("listen: stream " + streamId() + " is not live yet; waiting for it to start");
                }
            }
            try {
                client.awaitEos(Long.MAX_VALUE);
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            return 0;
        }
    }

    private String streamId() {
        String path = url.getPath();
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, String credential) {
        return credential == null ? request : request.header("Authorization", "Bearer " + credential);
    }

    /** The server's 404 body for a stream that is not live (ended or unknown), or null while it is live. */
    private JsonNode notLive(String credential) {
        String scheme = "wss".equalsIgnoreCase(url.getScheme()) ? "https" : "http";
        URI health = URI.create(scheme + "://" + url.getRawAuthority() + "/v1/streams/" + streamId() + "/health");
        try {
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(tls).build()
                    .send(authorized(HttpRequest.newBuilder(health), credential).timeout(Duration.ofSeconds(5)).GET().build(),
                            HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(answer.body());
            if (answer.statusCode() == 200 && body.path("live").asBoolean(true)) {
                return null;
            }
            if (answer.statusCode() == 200) { // a pull that is over: its session is gone
                return Json.MAPPER.createObjectNode().put("state", "ended").put("error", "stream " + streamId()
                        + " ended: its pull is " + body.path("pull").path("state").asText() + " ("
                        + body.path("pull").path("last_error").asText() + ")");
            }
            return answer.statusCode() == 404 ? body : null;
        } catch (IOException e) {
            return null; // not livecap's API (a proxy, an old server): just listen
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
