package io.livecap.ingest;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A live source livecap pulls: a URL (Kaltura's {@code mediaUrl}), an optional key ({@code mediaKey}) and where the
 * key goes. {@link #toString()} and {@link #redact} never show the key.
 *
 * @param url          {@code rtmp://}, {@code rtmps://}, {@code srt://}, {@code http(s)://...m3u8}, {@code ws(s)://}
 * @param key          the media key, or empty
 * @param keyPlacement how the key reaches the server
 * @param wsFormat     the container a websocket carries (ffmpeg cannot probe a pipe reliably with low probing)
 */
public record PullSource(URI url, String key, MediaKeyPlacement keyPlacement, String wsFormat) {

    /** What livecap reads, by URL scheme. */
    public enum Kind { RTMP, SRT, HLS, WEBSOCKET }

    /** The scheme allow-list: everything else (file, data, concat, subfile, ...) is refused before anything opens. */
    public static final List<String> SCHEMES = List.of("rtmp", "rtmps", "srt", "http", "https", "ws", "wss");
    private static final Set<String> WS_FORMATS = Set.of("mpegts", "flv");

    public PullSource {
        if (url.getScheme() == null) {
            throw new IllegalArgumentException("pull URL has no scheme: " + RedactedUrl.of(url)
                    + " (the schemes a pull may use are " + SCHEMES + ")");
        }
        kindOf(url.getScheme()); // the scheme allow-list, before anything else is looked at
        if (url.getHost() == null || url.getHost().isEmpty()) {
            throw new IllegalArgumentException("pull URL has no host: " + RedactedUrl.of(url));
        }
        key = key == null ? "" : key;
        if (!WS_FORMATS.contains(wsFormat)) {
            throw new IllegalArgumentException("websocket media must be one of " + WS_FORMATS + ", not " + wsFormat);
        }
    }

    /** A source with the default key placement for its scheme; websockets carry MPEG-TS. */
    public static PullSource of(String url, String key) {
        URI uri;
        try {
            uri = URI.create(url.strip());
        } catch (IllegalArgumentException e) { // its message quotes the URL, secrets and all: say only why
            String why = e.getCause() instanceof java.net.URISyntaxException syntax
                    ? syntax.getReason() + " at index " + syntax.getIndex() : "cannot be parsed";
            throw new IllegalArgumentException("not a valid URL: " + why);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        return new PullSource(uri, key, MediaKeyPlacement.defaultFor(scheme), "mpegts");
    }

    public PullSource withKeyPlacement(MediaKeyPlacement placement) {
        return new PullSource(url, key, placement, wsFormat);
    }

    public PullSource withWebSocketFormat(String format) {
        return new PullSource(url, key, keyPlacement, format);
    }

    public Kind kind() {
        return kindOf(url.getScheme());
    }

    /** The pts clock of what comes out: FLV's milliseconds for RTMP, MPEG-TS's 90 kHz otherwise. */
    public long timescale() {
        return carriesFlv() ? 1_000 : 90_000;
    }

    /** FLV timestamps are 32-bit milliseconds; MPEG-TS pts wrap at 2^33. */
    public int ptsBits() {
        return carriesFlv() ? 32 : 33;
    }

    /**
     * {@code text} with every URL's userinfo and query values, the key and the URL's own secrets blanked out
     * ({@link RedactedUrl}): ffmpeg's and servers' messages repeat the URL and the key.
     */
    public String redact(String text) {
        return RedactedUrl.scrub(text, secrets());
    }

    /** What must never be shown: the key, the URL's userinfo and query values. */
    List<String> secrets() {
        List<String> secrets = new ArrayList<>(RedactedUrl.secretsOf(url));
        if (!key.isEmpty()) {
            secrets.add(key);
            secrets.add(URLEncoder.encode(key, StandardCharsets.UTF_8));
        }
        return secrets;
    }

    /** The URL to connect to, key included: never log it. */
    URI target() {
        return keyPlacement.apply(url, key);
    }

    Map<String, String> headers() {
        return keyPlacement.headers(key);
    }

    @Override
    public String toString() {
        return redact(target().toString());
    }

    private boolean carriesFlv() {
        return kind() == Kind.RTMP || (kind() == Kind.WEBSOCKET && "flv".equals(wsFormat));
    }

    private static Kind kindOf(String scheme) {
        return switch (scheme.toLowerCase()) {
            case "rtmp", "rtmps" -> Kind.RTMP;
            case "srt" -> Kind.SRT;
            case "http", "https" -> Kind.HLS;
            case "ws", "wss" -> Kind.WEBSOCKET;
            default -> throw new IllegalArgumentException("cannot pull " + scheme
                    + "://: the schemes a pull may use are " + SCHEMES);
        };
    }
}
