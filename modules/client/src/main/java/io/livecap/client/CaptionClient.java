package io.livecap.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.captions.Json;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A subscriber on livecap's caption websocket. Each message is handed to {@code onMessage} as it arrives (with its
 * arrival time) and kept; {@link #awaitEos} returns when the stream's eos arrives or the connection closes.
 */
public final class CaptionClient implements AutoCloseable {

    /** A message and when it arrived (ms since the epoch). */
    public record Received(JsonNode json, long arrivedEpochMs) {

        public boolean isCaption() {
            return json.path("type").asText().equals("caption");
        }

        public Caption caption() {
            return Json.MAPPER.convertValue(json, Caption.class);
        }
    }

    private final Socket socket;
    private final Consumer<Received> onMessage;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<JsonNode> eos = new CompletableFuture<>();
    private volatile Exception lastError;
    private volatile String closeReason = "";
    private final Handshake handshake = new Handshake();
    /** Set on the handshake: a replay of an ended stream can open, deliver and close before connect returns. */
    private volatile boolean opened;

    private final class Socket extends WebSocketClient {
        Socket(URI uri) {
            super(uri);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            opened = true;
        }

        @Override
        public void onMessage(String text) {
            try {
                Received message = new Received(Json.MAPPER.readTree(text), System.currentTimeMillis());
                received.add(message);
                onMessage.accept(message);
                if (message.json().path("type").asText().equals("eos")) {
                    eos.complete(message.json());
                }
            } catch (IOException e) {
                eos.completeExceptionally(e);
            }
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            closeReason = reason;
            eos.completeExceptionally(new IOException("caption websocket closed (" + code + " " + reason
                    + ") before eos"));
        }

        @Override
        public void onError(Exception e) {
            lastError = e;
            eos.completeExceptionally(e);
        }
    }

    public CaptionClient(URI url, Consumer<Received> onMessage) {
        this.socket = new Socket(url);
        this.onMessage = onMessage;
    }

    public CaptionClient(URI url) {
        this(url, m -> {
        });
    }

    /** Presents {@code token} as {@code Authorization: Bearer} on the handshake (call before connect; null = none). */
    public CaptionClient token(String token) {
        handshake.present(socket, token);
        return this;
    }

    /** Trusts the servers {@code tls} trusts on a wss:// URL (see {@link ClientTls}); call before connecting. */
    public CaptionClient trusting(SSLContext tls) {
        handshake.trust(tls);
        return this;
    }

    /** Connects; fails with why not: "connection refused", an unknown host, or the server's HTTP status and body. */
    public void connect(long timeoutMs) throws IOException, InterruptedException {
        handshake.connect(socket, timeoutMs, () -> opened, () -> lastError, () -> closeReason);
    }

    /** Waits for the stream's eos message; throws if the connection closes first or the time runs out. */
    public JsonNode awaitEos(long timeoutMs) throws Exception {
        return eos.get(timeoutMs, TimeUnit.MILLISECONDS);
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public List<Caption> captions() {
        return received.stream().filter(Received::isCaption).map(Received::caption).toList();
    }

    public List<Caption> finals() {
        return captions().stream().filter(Caption::isFinal).toList();
    }

    @Override
    public void close() {
        socket.close();
    }
}
