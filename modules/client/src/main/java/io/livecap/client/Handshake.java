package io.livecap.client;

import org.java_websocket.client.WebSocketClient;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * What a client presents and trusts when it opens one of livecap's websockets: a credential, and for wss:// the
 * TLS trust. Both clients open their socket the same way, so the way lives here once.
 */
final class Handshake {

    private volatile String token;
    private volatile SSLContext tls;

    /** Presents {@code token} as {@code Authorization: Bearer} (before connecting; null or blank = none). */
    void present(WebSocketClient socket, String token) {
        if (token != null && !token.isBlank()) {
            this.token = token.trim();
            socket.addHeader("Authorization", "Bearer " + this.token);
        }
    }

    /** Trusts the servers {@code tls} trusts on a wss:// URL (see {@link ClientTls}). */
    void trust(SSLContext tls) {
        this.tls = tls;
    }

    /**
     * Connects; fails with why not: "connection refused", an unknown host, a TLS failure, or the server's HTTP status
     * and body. For wss the TLS handshake is done here ({@link TlsSocket}), so its failure is reported as one.
     *
     * @param opened      true when the websocket handshake completed, even if the socket has closed since
     * @param lastError   what the websocket library reported
     * @param closeReason its close reason
     */
    void connect(WebSocketClient socket, long timeoutMs, BooleanSupplier opened, Supplier<Exception> lastError,
                 Supplier<String> closeReason) throws IOException, InterruptedException {
        if (TlsSocket.needed(socket.getURI())) {
            try {
                socket.setSocket(TlsSocket.open(socket.getURI(), tls == null ? ClientTls.system() : tls, timeoutMs));
            } catch (IOException e) {
                throw ConnectFailure.explain(socket.getURI(), e, "", timeoutMs, token, tls);
            }
        }
        if (!socket.connectBlocking(timeoutMs, TimeUnit.MILLISECONDS) && !opened.getAsBoolean()) {
            throw ConnectFailure.explain(socket.getURI(), lastError.get(), closeReason.get(), timeoutMs, token, tls);
        }
    }
}
