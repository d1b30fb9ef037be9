package io.livecap.ingest;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An HLS playlist as livecap reads it (livecap fetches HLS itself through {@link SafeHttp}, see {@link HlsFeed}):
 * a master playlist's first variant, or a media playlist's segments with their sequence numbers.
 *
 * <p>Whether it is live matters after a clean end ({@code #EXT-X-ENDLIST}): reopening the ended playlist would
 * replay it from its first segment as if it were on demand, so the pull waits until the playlist is live again (the
 * encoder restarted) before it starts again.
 *
 * @param url           where the playlist was found (after redirects): segments resolve against it
 * @param firstSequence {@code #EXT-X-MEDIA-SEQUENCE} (0 when absent)
 * @param segments      segment URLs in order, the first being {@code firstSequence}
 * @param targetSeconds {@code #EXT-X-TARGETDURATION}
 * @param ended         {@code #EXT-X-ENDLIST}
 */
record HlsPlaylist(URI url, long firstSequence, List<URI> segments, double targetSeconds, boolean ended) {

    /** Fetches {@code url}; a master playlist is followed to its first variant. */
    static HlsPlaylist fetch(SafeHttp http, URI url, Map<String, String> headers) throws IOException {
        SafeHttp.Answer answer = http.get(url, headers);
        String text = answer.text();
        if (!text.startsWith("#EXTM3U") && !text.stripLeading().startsWith("#EXTM3U")) {
            throw new IOException("not an HLS playlist (no #EXTM3U): " + RedactedUrl.of(answer.url()));
        }
        if (text.contains("#EXT-X-STREAM-INF")) {
            URI master = answer.url();
            String variant = uriLines(text).stream().findFirst().orElseThrow(() -> new IOException(
                    "master playlist without a variant: " + RedactedUrl.of(master)));
            answer = http.get(resolve(master, variant), headers);
            text = answer.text();
        }
        return parse(answer.url(), text);
    }

    static HlsPlaylist parse(URI url, String text) throws IOException {
        long first = 0;
        double target = 2;
        boolean ended = false;
        List<URI> segments = new ArrayList<>();
        for (String raw : text.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("#EXT-X-MEDIA-SEQUENCE:")) {
                first = number(line, (long) 0);
            } else if (line.startsWith("#EXT-X-TARGETDURATION:")) {
                target = Math.max(0.5, number(line, 2L));
            } else if (line.startsWith("#EXT-X-ENDLIST")) {
                ended = true;
            } else if (line.startsWith("#EXT-X-KEY:") && !line.contains("METHOD=NONE")) {
                throw new IOException("encrypted HLS (#EXT-X-KEY) is not supported");
            } else if (line.startsWith("#EXT-X-MAP:")) {
                throw new IOException("fragmented-MP4 HLS (#EXT-X-MAP) is not supported: use MPEG-TS segments");
            } else if (!line.isEmpty() && !line.startsWith("#")) {
                segments.add(resolve(url, line));
            }
        }
        return new HlsPlaylist(url, first, List.copyOf(segments), target, ended);
    }

    /** True when {@code url} (or its first variant) answers and has no end marker; false on any error. */
    static boolean isLive(SafeHttp http, URI url, Map<String, String> headers) {
        try {
            return !fetch(http, url, headers).ended();
        } catch (IOException e) {
            return false;
        }
    }

    /** The sequence number after the last segment. */
    long endSequence() {
        return firstSequence + segments.size();
    }

    private static List<String> uriLines(String text) {
        return text.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    private static URI resolve(URI base, String reference) throws IOException {
        try {
            return base.resolve(URI.create(reference));
        } catch (IllegalArgumentException e) {
            throw new IOException("bad URL in the playlist: " + RedactedUrl.of(reference));
        }
    }

    private static long number(String line, long otherwise) {
        try {
            return (long) Double.parseDouble(line.substring(line.indexOf(':') + 1).strip());
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }
}
