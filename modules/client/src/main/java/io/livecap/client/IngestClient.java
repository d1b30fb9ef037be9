package io.livecap.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.handshake.ServerHandshake;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A source on livecap's ingest websocket: start, chunks with pts, eos. Keeps every message the server sends
 * ({@code ready}, {@code warning}, {@code error}, {@code eos}) and how the connection closed.
 */
public final class IngestClient implements AutoCloseable {

    /** How the server closed the connection. */
    public record Closed(int code, String reason, boolean byServer) {
    }

    private final Socket socket;
    private final List<JsonNode> messages = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> ready = new CompletableFuture<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private volatile Exception lastError;
    private volatile String closeReason = "";
    private final Handshake handshake = new Handshake();

    private final class Socket extends WebSocketClient {
        Socket(URI uri) {
            super(uri);
            setTcpNoDelay(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
        }

        @Override
        public void onMessage(String text) {
            try {
                JsonNode json = Json.MAPPER.readTree(text);
                messages.add(json);
                String type = json.path("type").asText();
                if (type.equals("ready")) {
                    ready.complete(json);
                } else if (type.equals("error")) {
                    ready.completeExceptionally(new IOException(json.path("code").asText() + ": "
                            + json.path("message").asText()));
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeReason = reason;
            ready.completeExceptionally(new IOException(describeClose(code, reason)));
            closed.complete(new Closed(code, reason, remote));
        }

        @Override
        public void onError(Exception e) {
            lastError = e;
            ready.completeExceptionally(e);
        }
    }

    public IngestClient(URI url) {
        this.socket = new Socket(url);
    }

    /** Presents {@code token} as {@code Authorization: Bearer} on the handshake (call before connect; null = none). */
    public IngestClient token(String token) {
        handshake.present(socket, token);
        return this;
    }

    /** Trusts the servers {@code tls} trusts on a wss:// URL (see {@link ClientTls}); call before connecting. */
    public IngestClient trusting(SSLContext tls) {
        handshake.trust(tls);
        return this;
    }

    /** Connects; fails with why not: "connection refused", an unknown host, or the server's HTTP status and body. */
    public void connect(long timeoutMs) throws IOException, InterruptedException {
        handshake.connect(socket, timeoutMs, () -> false, () -> lastError, () -> closeReason);
    }

    /** Sends the start message and waits for {@code ready} (or the server's error). */
    public JsonNode start(Map<String, Object> start, long timeoutMs) throws IOException, InterruptedException {
        send(() -> socket.send(Json.write(start)));
        try {
            return ready.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer to start within " + timeoutMs + " ms");
        }
    }

    public void sendText(String text) {
        send(() -> socket.send(text));
    }

    /** One chunk: 8-byte big-endian pts, then the payload. */
    public void sendChunk(long pts, byte[] payload, int length) {
        ByteBuffer frame = ByteBuffer.allocate(8 + length);
        frame.putLong(pts).put(payload, 0, length).flip();
        send(() -> socket.send(frame));
    }

    public void eos() {
        send(() -> socket.send("{\"type\":\"eos\"}"));
    }

    /** Sends, or says why the server is no longer listening (its error message, close code and reason). */
    private void send(Runnable sending) {
        try {
            sending.run();
        } catch (WebsocketNotConnectedException e) {
            Closed how = closed.getNow(null);
            throw new ConnectionClosedException(how == null ? "the connection to " + socket.getURI() + " is closed"
                    : describeClose(how.code(), how.reason()));
        }
    }

    /** How the server closed the stream, with the error it sent before (if any). */
    public String describeClose(Closed how) {
        return describeClose(how.code(), how.reason());
    }

    /** "the server closed the stream: 1008 stream_busy: stream x already has a live source", from what it sent. */
    private String describeClose(int code, String reason) {
        String said = messages.stream().filter(m -> m.path("type").asText().equals("error"))
                .map(m -> m.path("code").asText() + ": " + m.path("message").asText()).reduce((a, b) -> b).orElse("");
        return "the server closed the stream (" + code + (reason == null || reason.isBlank() ? "" : " " + reason)
                + ")" + (said.isEmpty() ? "" : ": " + said);
    }

    /** Waits for the server to close the connection. */
    public Closed awaitClose(long timeoutMs) throws InterruptedException, TimeoutException {
        try {
            return closed.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<JsonNode> messages() {
        return List.copyOf(messages);
    }

    public boolean isOpen() {
        return socket.isOpen();
    }

    /** Drops the TCP connection without a close handshake, as a crashed encoder would. */
    public void vanish() {
        socket.getConnection().closeConnection(1006, "vanished");
    }

    @Override
    public void close() {
        socket.close();
    }
}
