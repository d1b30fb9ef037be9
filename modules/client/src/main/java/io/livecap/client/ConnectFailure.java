package io.livecap.client;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Why a websocket to livecap did not open, in words a user can act on: "connection refused", an unknown host, or
 * the server's own answer (its HTTP status and body: livecap says what is wrong, e.g. a bad stream id).
 */
final class ConnectFailure {

    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(5);

    private ConnectFailure() {
    }

    /**
     * @param error       what the websocket library reported (may be null)
     * @param closeReason its close reason (a refused handshake: "Invalid status code received: 404 ...")
     * @param tls         the client's trust for wss (null: the system's)
     */
    static IOException explain(URI url, Exception error, String closeReason, long timeoutMs) {
        return explain(url, error, closeReason, timeoutMs, null, null);
    }

    /**
     * @param token the credential the websocket presented, presented again so the answer is the same (401 vs 403)
     * @param tls   the trust the websocket used on wss (null: the system's)
     */
    static IOException explain(URI url, Exception error, String closeReason, long timeoutMs, String token,
                               SSLContext tls) {
        String where = url.getHost() + ":" + port(url);
        Throwable cause = error;
        while (cause != null && !(cause instanceof ConnectException) && !(cause instanceof UnknownHostException)
                && !(cause instanceof SSLException)) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return new IOException("cannot connect to " + where + ": connection refused (is livecap running there?)");
        }
        if (cause instanceof UnknownHostException) {
            return new IOException("cannot connect to " + url + ": unknown host " + url.getHost());
        }
        if (cause instanceof SSLException) {
            return new IOException("cannot connect to " + url + ": TLS failed (" + cause.getMessage()
                    + "); is the server's CA trusted (--ca-file), and is it a wss:// server?");
        }
        if (closeReason != null && closeReason.contains("status code")) {
            return new IOException("the server refused the websocket " + url.getPath() + ": "
                    + serverAnswer(url, token, tls));
        }
        String detail = error != null && error.getMessage() != null ? error.getMessage()
                : closeReason != null && !closeReason.isBlank() ? closeReason : "no answer within " + timeoutMs + " ms";
        return new IOException("cannot connect to " + url + ": " + detail);
    }

    /** The same URL over plain HTTP: livecap answers a request it would not upgrade with its status and reason. */
    private static String serverAnswer(URI url, String token, SSLContext tls) {
        String scheme = "wss".equalsIgnoreCase(url.getScheme()) ? "https" : "http";
        try {
            URI http = URI.create(scheme + "://" + url.getRawAuthority() + url.getRawPath()
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
            HttpRequest.Builder request = HttpRequest.newBuilder(http).timeout(ASK_TIMEOUT).GET();
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            HttpResponse<String> answer = HttpClient.newBuilder().connectTimeout(ASK_TIMEOUT)
                    .sslContext(tls == null ? ClientTls.system() : tls).build()
                    .send(request.build(),
                            HttpResponse.BodyHandlers.ofString());
            return "HTTP " + answer.statusCode() + " " + answer.body().strip();
        } catch (IOException | IllegalArgumentException e) {
            return "(and asking again over HTTP failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "wss".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
    }
}
