package io.livecap.alerts;

import io.livecap.captions.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * POSTs each alert change as JSON to {@code alerts.webhook_url}, one at a time on its own thread, with a short
 * timeout. The caller never waits: past {@link #QUEUED} waiting posts, new ones are dropped (and said so), so a dead
 * webhook costs a log line, never a stream's time.
 */
final class AlertWebhook implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AlertWebhook.class);
    static final int QUEUED = 100;

    private final URI url;
    private final Duration timeout;
    private final HttpClient client;
    private final ThreadPoolExecutor sender;
    private volatile Instant lastWarned = Instant.EPOCH;

    AlertWebhook(String url, Duration timeout) {
        this.url = URI.create(url);
        this.timeout = timeout;
        this.sender = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUED), r -> {
            Thread t = new Thread(r, "alert-webhook");
            t.setDaemon(true);
            return t;
        }, (job, pool) -> warn("alert webhook: " + QUEUED + " posts waiting, dropping one"));
        this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    void post(Map<String, Object> body) {
        String json = Json.write(body);
        sender.execute(() -> {
            try {
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(url).timeout(timeout)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() >= 300) {
                    warn("alert webhook answered " + response.statusCode());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                warn("alert webhook failed: " + e);
            }
        });
    }

    /** At most one line a minute: a webhook that is down would otherwise log every alert twice. */
    private void warn(String message) {
        Instant now = Instant.now();
        if (now.isAfter(lastWarned.plusSeconds(60))) {
            lastWarned = now;
            log.warn("{} ({})", message, url.getHost());
        }
    }

    @Override
    public void close() {
        sender.shutdownNow();
    }
}
