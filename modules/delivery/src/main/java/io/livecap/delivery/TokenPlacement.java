package io.livecap.delivery;

import io.livecap.reach.Secret;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Where the {@code captionToken} goes when connecting to a {@code captionUrl}. Kaltura does not document it; the
 * sandbox, like most websocket servers, takes either. Trap: Java-WebSocket logs the raw handshake, header and query
 * included, at TRACE; {@code config/logback.xml} keeps {@code org.java_websocket} at WARN.
 */
public enum TokenPlacement {

    /** {@code Authorization: Bearer <token>}: the default, as it keeps the token out of URLs, which servers log. */
    BEARER_HEADER {
        @Override
        URI uri(URI captionUrl, Secret token) {
            return captionUrl;
        }

        @Override
        Map<String, String> headers(Secret token) {
            return Map.of("Authorization", "Bearer " + token.reveal());
        }
    },

    /** {@code ?token=<token>} added to the captionUrl's query, for a server that reads no headers. */
    QUERY_PARAMETER {
        @Override
        URI uri(URI captionUrl, Secret token) {
            String param = "token=" + URLEncoder.encode(token.reveal(), StandardCharsets.UTF_8);
            String query = captionUrl.getRawQuery() == null ? param : captionUrl.getRawQuery() + "&" + param;
            return URI.create(captionUrl.getScheme() + "://" + captionUrl.getRawAuthority()
                    + (captionUrl.getRawPath() == null ? "" : captionUrl.getRawPath()) + "?" + query);
        }

        @Override
        Map<String, String> headers(Secret token) {
            return Map.of();
        }
    };

    /** The URI to connect to. It may hold the token: never log it. */
    abstract URI uri(URI captionUrl, Secret token);

    /** The handshake's extra headers. They may hold the token: never log them. */
    abstract Map<String, String> headers(Secret token);
}
