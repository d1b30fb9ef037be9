package io.livecap.ingest;

import org.java_websocket.client.WebSocketClient;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Reads a websocket's binary messages (container bytes, no framing of our own) into ffmpeg's stdin: ffmpeg cannot
 * read {@code ws://} itself. Writing blocks this connection's read thread while ffmpeg is busy, which is the
 * back-pressure we want. When the socket closes, stdin closes and ffmpeg drains and exits.
 */
final class WebSocketMediaReader extends WebSocketClient {

    private static final Logger log = LoggerFactory.getLogger(WebSocketMediaReader.class);

    private final PullSource source;
    private final OutputStream sink;
    private volatile String closeReason = "open";
    private volatile String error = "";

    /**
     * {@code tls} checks a wss server's certificate and host name as livecap does for https and rtmps. The host was
     * checked ({@link PullNetworks}) just before; the client library resolves it again, which the JVM answers from
     * its cache (pinning the checked address with the library's DnsResolver made failed TLS handshakes hang until
     * the pull's watchdog fired, so it is not done yet).
     */
    WebSocketMediaReader(PullSource source, OutputStream sink, SSLContext tls) {
        super(source.target(), source.headers());
        this.source = source;
        this.sink = sink;
        if ("wss".equalsIgnoreCase(source.url().getScheme())) {
            setSocketFactory(tls.getSocketFactory());
        }
        setConnectionLostTimeout(30); // pings: a silently dead server ends the connection, and so the pull
    }

    /** Connects and starts copying what the server sends into the sink; {@code close()} from another thread aborts. */
    void open(Duration timeout) throws IOException, InterruptedException {
        boolean connected;
        try {
            connected = connectBlocking(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IllegalStateException e) { // closed before it could connect
            throw new IOException("websocket " + source + " closed before it opened", e);
        }
        if (!connected) {
            closeBlocking();
            throw new IOException("websocket " + source + " did not open: " + closeReason);
        }
    }

    String closeReason() {
        return closeReason;
    }

    @Override
    public void onOpen(ServerHandshake handshake) {
        log.debug("websocket {} open ({})", source, handshake.getHttpStatus());
    }

    @Override
    public void onMessage(ByteBuffer bytes) {
        try {
            if (bytes.hasArray()) {
                sink.write(bytes.array(), bytes.arrayOffset() + bytes.position(), bytes.remaining());
            } else {
                byte[] copy = new byte[bytes.remaining()];
                bytes.get(copy);
                sink.write(copy);
            }
            sink.flush();
        } catch (IOException e) {
            closeReason = "decoder stopped reading";
            close();
        }
    }

    @Override
    public void onMessage(String message) {
        log.debug("websocket {} sent text (ignored): {}", source, source.redact(message));
    }

    @Override
    public void onClose(int code, String reason, boolean remote) {
        // a failed TLS handshake or connect reaches onError first: keep its words, they say what went wrong
        closeReason = "closed " + code + (reason == null || reason.isEmpty() ? "" : " " + source.redact(reason))
                + (remote ? " by the server" : "") + (error.isEmpty() ? "" : ": " + error);
        try {
            sink.close();
        } catch (IOException e) {
            log.debug("closing decoder input: {}", e.getMessage());
        }
    }

    @Override
    public void onError(Exception e) {
        error = source.redact(e.getClass().getSimpleName() + ": " + e.getMessage());
        closeReason = error;
    }
}
