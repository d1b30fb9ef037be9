package io.livecap.sandbox;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/** The content of a {@code KalturaUrlResource}: what Kaltura's import would download. */
final class UrlContent {

    private static final Logger log = LoggerFactory.getLogger(UrlContent.class);
    private static final int MAX_BYTES = 16 << 20;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    private UrlContent() {
    }

    static Optional<String> fetch(String url) {
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                return Optional.empty();
            }
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return Optional.empty();
                }
                byte[] bytes = body.readNBytes(MAX_BYTES);
                return Optional.of(new String(bytes, StandardCharsets.UTF_8));
            }
        } catch (IOException | IllegalArgumentException e) {
            // the URL may carry a token in its query: it is not logged
            log.warn("caption content URL could not be fetched: {}", e.getClass().getSimpleName());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
