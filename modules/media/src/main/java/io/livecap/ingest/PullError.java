package io.livecap.ingest;

import java.util.List;
import java.util.Locale;

/**
 * Why one pull attempt ended, and whether trying again can help. Permanent: the name does not resolve, the server
 * says 404 / 401 / 403 (HTTP, or a websocket handshake refused with one), TLS fails (certificate, host name), the
 * address is refused ({@link PullNetworks}) or the playlist is of a kind livecap does not read.
 * Everything else (refused, reset, timed out, a 5xx, the source ending) is worth retrying.
 */
record PullError(String message, boolean permanent) {

    private static final List<String> PERMANENT_SIGNS = List.of(
            "failed to resolve hostname", "unknown host", "name or service not known", "nodename nor servname",
            "404 not found", "401 unauthorized", "403 forbidden", "server returned 4",
            "status code received: 404", "status code received: 401", "status code received: 403",
            "certificate", "tls handshake", "pkix path", "handshake_failure", "no subject alternative",
            "cannot pull https", "cannot pull rtmps", PullNetworks.SETTING, "is not supported");

    /** Classifies {@code message} (ffmpeg's last line, a Java exception's message) by what it says. */
    static PullError of(String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        return new PullError(message, PERMANENT_SIGNS.stream().anyMatch(lower::contains));
    }
}
