package io.livecap.ingest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a pulled source's {@code mediaKey} reaches the media server. Kaltura hands a live-caption vendor a
 * {@code mediaUrl} and a {@code mediaKey} without saying how to combine them, so this is an assumption kept in one
 * place: for RTMP(S) the key is the stream name (the server-URL-plus-stream-key convention every RTMP encoder uses);
 * for a websocket it is a {@code key} query parameter (browsers cannot set headers on a websocket, so servers that
 * authenticate websockets take tokens in the query). {@link #BEARER_HEADER} is there for servers that want a header.
 */
public enum MediaKeyPlacement {

    /** {@code rtmp://host/app} + {@code /KEY} (left alone when the URL already ends with the key). */
    STREAM_NAME,
    /** {@code ?key=KEY}, added to any query the URL has. */
    QUERY,
    /** {@code Authorization: Bearer KEY} on the websocket upgrade request (websocket only). */
    BEARER_HEADER;

    static final String QUERY_PARAMETER = "key";

    /** The default for a URL scheme: the stream name for RTMP(S), a query parameter otherwise. */
    public static MediaKeyPlacement defaultFor(String scheme) {
        return scheme.startsWith("rtmp") ? STREAM_NAME : QUERY;
    }

    URI apply(URI url, String key) {
        if (key == null || key.isEmpty()) {
            return url;
        }
        String text = url.toString();
        return switch (this) {
            case STREAM_NAME -> text.endsWith("/" + key) ? url
                    : URI.create((text.endsWith("/") ? text : text + "/") + key);
            case QUERY -> URI.create(text + (url.getRawQuery() == null ? "?" : "&") + QUERY_PARAMETER + "="
                    + URLEncoder.encode(key, StandardCharsets.UTF_8));
            case BEARER_HEADER -> url;
        };
    }

    Map<String, String> headers(String key) {
        return this == BEARER_HEADER && key != null && !key.isEmpty()
                ? Map.of("Authorization", "Bearer " + key) : Map.of();
    }
}
