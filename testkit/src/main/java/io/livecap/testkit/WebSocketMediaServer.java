package io.livecap.testkit;

import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A websocket media source on loopback: sends what a live encoder writes (container bytes, one binary message per
 * read) to every client that presents the right key as the {@code key} query parameter; others are refused (1008).
 */
public final class WebSocketMediaServer extends WebSocketServer implements AutoCloseable {

    private final String key;
    private final LiveEncoder encoder;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Thread pump;
    /** One permit per client refused for its key. */
    public final Semaphore refused = new Semaphore(0);

    private WebSocketMediaServer(int port, String key, LiveEncoder encoder) {
        super(new InetSocketAddress("127.0.0.1", port));
        this.key = key;
        this.encoder = encoder;
        setReuseAddr(true);
        this.pump = new Thread(this::pump, "ws-media-pump-" + port);
    }

    /** Serves {@code encoder}'s output on {@code port}. */
    public static WebSocketMediaServer start(int port, String key, LiveEncoder encoder)
            throws IOException, InterruptedException {
        return start(port, key, encoder, null);
    }

    /** The same over TLS ({@code wss://}) with {@code certificate}, when given. */
    public static WebSocketMediaServer start(int port, String key, LiveEncoder encoder, TestCertificate certificate)
            throws IOException, InterruptedException {
        WebSocketMediaServer server = new WebSocketMediaServer(port, key, encoder);
        if (certificate != null) {
            try {
                server.setWebSocketFactory(new org.java_websocket.server.DefaultSSLWebSocketServerFactory(
                        certificate.serverContext()));
            } catch (Exception e) {
                throw new IOException("cannot set up TLS", e);
            }
        }
        server.start();
        if (!server.started.await(10, TimeUnit.SECONDS)) {
            throw new IOException("websocket media server did not start on " + port);
        }
        server.pump.start();
        return server;
    }

    private void pump() {
        byte[] buffer = new byte[188 * 40];
        try (InputStream media = encoder.output()) {
            int n;
            while ((n = media.read(buffer)) > 0) {
                broadcast(ByteBuffer.wrap(Arrays.copyOf(buffer, n)));
            }
        } catch (IOException e) {
            // the encoder was stopped
        }
    }

    @Override
    public void onOpen(WebSocket conn, ClientHandshake handshake) {
        if (!handshake.getResourceDescriptor().contains("key=" + key)) {
            conn.close(1008, "bad key");
            refused.release();
        }
    }

    @Override
    public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    }

    @Override
    public void onMessage(WebSocket conn, String message) {
    }

    @Override
    public void onError(WebSocket conn, Exception ex) {
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void close() throws InterruptedException {
        encoder.close();
        stop(2_000);
        pump.join(5_000);
    }
}
