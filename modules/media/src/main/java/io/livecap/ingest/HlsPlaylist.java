package io.livecap.ingest;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Whether an HLS playlist is live. After a clean end ({@code #EXT-X-ENDLIST}) ffmpeg exits with 0, and reopening
 * the ended playlist would replay it from its first segment as if it were on demand: so the pull waits until the
 * playlist is live again (the encoder restarted) before it restarts ffmpeg.
 */
final class HlsPlaylist {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);
    private final HttpClient http;

    /** With the pull's TLS trust ({@link TlsTrust}). */
    HlsPlaylist(SSLContext tls) {
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).sslContext(tls)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    /** True when {@code url} (or, for a master playlist, its first variant) answers and has no end marker. */
    boolean isLive(URI url) {
        try {
            String playlist = fetch(url);
            if (playlist == null) {
                return false;
            }
            if (playlist.contains("#EXT-X-STREAM-INF")) {
                String variant = playlist.lines().map(String::strip)
                        .filter(line -> !line.isEmpty() && !line.startsWith("#")).findFirst().orElse(null);
                playlist = variant == null ? null : fetch(url.resolve(variant));
            }
            return playlist != null && playlist.contains("#EXTM3U") && !playlist.contains("#EXT-X-ENDLIST");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private String fetch(URI url) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        return response.statusCode() == 200 ? response.body() : null;
    }
}
