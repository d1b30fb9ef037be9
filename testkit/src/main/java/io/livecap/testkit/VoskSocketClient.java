package io.livecap.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A /v1/vosk client that behaves like vosk-server's examples: it sends what the test sends and keeps every JSON
 * answer, in order, and the close code.
 */
public final class VoskSocketClient extends WebSocketClient {
    public final LinkedBlockingQueue<JsonNode> answers = new LinkedBlockingQueue<>();
    public final CompletableFuture<Integer> closed = new CompletableFuture<>();

    public VoskSocketClient(URI uri) {
        super(uri);
    }

    /** The next answer; fails when none comes within 10 s. */
    public JsonNode next() throws InterruptedException {
        JsonNode answer = answers.poll(10, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("no answer within 10 s");
        }
        return answer;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
        try {
            answers.add(Json.MAPPER.readTree(message));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closed.complete(code);
    }

    @Override
    public void onError(Exception ex) {
    }
}
