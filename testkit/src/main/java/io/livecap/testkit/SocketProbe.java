package io.livecap.testkit;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** A websocket client for tests: keeps the bytes and sizes of binary messages, and how the server closed. */
public final class SocketProbe extends WebSocketClient {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final List<Integer> messageSizes = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private long firstMessageNanos;
    private long wantBytes = Long.MAX_VALUE;
    private final CompletableFuture<Long> gotBytes = new CompletableFuture<>();

    public SocketProbe(URI url, String bearer) {
        super(url, bearer == null ? Map.of() : Map.of("Authorization", "Bearer " + bearer));
    }

    public static SocketProbe open(URI url, String bearer) throws InterruptedException {
        SocketProbe probe = new SocketProbe(url, bearer);
        // a server that refuses closes at once; that is an answer, not a failure to connect
        if (!probe.connectBlocking(10, TimeUnit.SECONDS)) {
            // the refusal's close can land a moment after connectBlocking gives up (seen on a loaded machine)
            try {
                probe.closed.get(5, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("cannot connect to " + url);
            }
        }
        return probe;
    }

    /** Completes with the nanoseconds from the first message to the moment {@code count} bytes had arrived. */
    public synchronized CompletableFuture<Long> whenBytes(long count) {
        wantBytes = count;
        return gotBytes;
    }

    public synchronized byte[] bytes() {
        return bytes.toByteArray();
    }

    public List<Integer> messageSizes() {
        return List.copyOf(messageSizes);
    }

    public int awaitClose(long seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
    }

    @Override
    public void onMessage(String message) {
    }

    @Override
    public synchronized void onMessage(ByteBuffer message) {
        long now = System.nanoTime();
        if (bytes.size() == 0) {
            firstMessageNanos = now;
        }
        messageSizes.add(message.remaining());
        byte[] chunk = new byte[message.remaining()];
        message.get(chunk);
        bytes.write(chunk, 0, chunk.length);
        if (bytes.size() >= wantBytes) {
            gotBytes.complete(now - firstMessageNanos);
        }
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        closed.complete(code);
    }

    @Override
    public void onError(Exception e) {
    }
}
