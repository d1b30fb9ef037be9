package io.livecap.asr.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The remote engine's workers: each one's health and load, from a probe of its {@code /healthz} every
 * {@code remote_probe_ms} (a livecap worker announces {@code max_sessions} and {@code open_sessions} there; any other
 * HTTP answer, e.g. alphacep's vosk-server's, only says it is up), corrected at once by what streams meet (a refused
 * connection, a worker that died mid-stream, a refusal because it is full).
 */
final class WorkerPool implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RemoteSettings settings;
    private final List<Worker> workers = new ArrayList<>();
    private final HttpClient http;
    private final ScheduledExecutorService prober;

    WorkerPool(RemoteSettings settings) {
        this.settings = settings;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout()).build();
        for (var uri : settings.endpoints()) {
            Worker worker = new Worker(uri);
            workers.add(worker);
            String endpoint = uri.toString();
            Gauge.builder("livecap.remote.worker.sessions", worker, Worker::open).tag("endpoint", endpoint)
                    .description("sessions open on a remote worker (its own count, or this node's)")
                    .register(Metrics.globalRegistry);
            Gauge.builder("livecap.remote.worker.capacity", worker, Worker::capacity).tag("endpoint", endpoint)
                    .description("sessions a remote worker takes (-1 not announced, 0 no cap)")
                    .register(Metrics.globalRegistry);
            Gauge.builder("livecap.remote.worker.up", worker, w -> w.up() ? 1 : 0).tag("endpoint", endpoint)
                    .description("1 while a remote worker answers").register(Metrics.globalRegistry);
        }
        probeAll(); // before the first stream picks
        this.prober = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "remote-worker-probe");
            t.setDaemon(true);
            return t;
        });
        long every = settings.probeEvery().toMillis();
        prober.scheduleWithFixedDelay(this::probeAll, every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * The least loaded worker that is up and has room, other than {@code excluded} (the ones this stream just saw
     * fail); taken for the caller, who gives it back with {@link Worker#given()}.
     */
    synchronized Optional<Worker> take(Collection<Worker> excluded) {
        Optional<Worker> best = workers.stream().filter(w -> !excluded.contains(w) && w.up() && !w.full())
                .min(Comparator.comparingDouble(Worker::load).thenComparingInt(Worker::ours));
        best.ifPresent(Worker::taken);
        return best;
    }

    HttpClient http() {
        return http;
    }

    /** Every worker's state in one line, for the error a stream gets when none can take it. */
    String describe() {
        return workers.stream().map(Worker::toString).collect(Collectors.joining("; "));
    }

    private void probeAll() {
        for (Worker worker : workers) {
            probe(worker);
        }
    }

    private void probe(Worker worker) {
        boolean wasUp = worker.up();
        try {
            HttpRequest request = HttpRequest.newBuilder(worker.healthUri()).timeout(settings.connectTimeout())
                    .GET().build();
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            int capacity = -1;
            int open = -1;
            if (response.statusCode() == 200) {
                try {
                    JsonNode body = JSON.readTree(response.body());
                    if (body != null && body.has("max_sessions")) {
                        capacity = body.path("max_sessions").asInt(-1);
                        open = body.path("open_sessions").asInt(-1);
                    }
                } catch (IOException notJson) {
                    // up, but says nothing about its load
                }
            }
            worker.probed(capacity, open);
        } catch (ConnectException | HttpConnectTimeoutException e) {
            worker.down("cannot connect: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        } catch (HttpTimeoutException e) {
            worker.down("no answer within " + settings.connectTimeout().toMillis() + " ms");
        } catch (IOException e) {
            // it accepted the connection but did not answer HTTP as we expect: a websocket-only server is still up
            worker.probed(-1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("remote worker {}: probe failed", worker.uri(), e);
            return;
        }
        if (wasUp != worker.up()) {
            log.info("remote worker {}", worker);
        }
    }

    @Override
    public void close() {
        if (prober != null) {
            prober.shutdownNow();
        }
    }
}
