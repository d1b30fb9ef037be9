package io.livecap.client;

/** The server closed the websocket while we were still sending; the message says how (code, reason, its error). */
public final class ConnectionClosedException extends RuntimeException {

    public ConnectionClosedException(String message) {
        super(message);
    }
}
