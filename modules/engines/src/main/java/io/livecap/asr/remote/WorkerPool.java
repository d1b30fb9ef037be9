package io.livecap.asr.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.asr.WorkerPoolView;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The remote engine's workers: each one's health and load, from a probe of its {@code /healthz} every
 * {@code remote_probe_ms} (a livecap worker announces {@code max_sessions} and {@code open_sessions} there; any other
 * HTTP answer, e.g. alphacep's vosk-server's, only says it is up), corrected at once by what streams meet (a refused
 * connection, a worker that died mid-stream, a refusal because it is full).
 *
 * <p>An endpoint whose host is a name ({@code ws://asr-workers:8080/v1/vosk}) is resolved again before every probe
 * and stands for one worker per address it resolves to: a new address is a new worker, and one that is gone is
 * picked no more and dropped once none of this node's streams is on it. An endpoint with a literal address is one
 * worker. Connections go to the address; over {@code wss} the certificate is still checked against the name
 * ({@link NamedPeerSslContext}).
 */
final class WorkerPool implements AutoCloseable, WorkerPoolView {

    private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final RemoteSettings settings;
    private final HostResolver resolver;
    /** Per endpoint, its workers by address, in the order they appeared. Guarded by this. */
    private final Map<URI, Map<String, Worker>> byEndpoint = new LinkedHashMap<>();
    /** Why an endpoint's name did not resolve at the last probe; absent when it did. Guarded by this. */
    private final Map<URI, String> unresolved = new HashMap<>();
    private final Map<Worker, List<Meter>> gauges = new HashMap<>();
    /** address (as the HTTP client names a peer) -> the name it was resolved from, for TLS. */
    private final Map<String, String> names = new ConcurrentHashMap<>();
    private final HttpClient http;
    private final ScheduledExecutorService prober;

    WorkerPool(RemoteSettings settings) {
        this(settings, HostResolver.SYSTEM, defaultTls());
    }

    /** @param tls whom wss workers are trusted by (the system's CAs in production) */
    WorkerPool(RemoteSettings settings, HostResolver resolver, SSLContext tls) {
        this.settings = settings;
        this.resolver = resolver;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.connectTimeout())
                .sslContext(new NamedPeerSslContext(tls, peer -> names.getOrDefault(peer, peer))).build();
        for (URI endpoint : settings.endpoints()) {
            byEndpoint.put(endpoint, new LinkedHashMap<>());
            if (!expands(endpoint)) {
                add(endpoint, new Worker(endpoint));
            }
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
        Optional<Worker> best = all().stream().filter(w -> !excluded.contains(w) && w.up() && !w.full())
                .min(Comparator.comparingDouble(Worker::load).thenComparingInt(Worker::ours));
        best.ifPresent(Worker::taken);
        return best;
    }

    HttpClient http() {
        return http;
    }

    /** Every worker's state in one line, for the error a stream gets when none can take it. */
    synchronized String describe() {
        List<String> parts = new ArrayList<>(all().stream().map(Worker::toString).toList());
        unresolved.forEach((endpoint, why) -> parts.add(endpoint + " does not resolve (" + why + ")"));
        return parts.isEmpty() ? "no worker" : String.join("; ", parts);
    }

    @Override
    public synchronized List<WorkerState> workers() {
        return all().stream().map(Worker::state).toList();
    }

    private List<Worker> all() {
        return byEndpoint.values().stream().flatMap(m -> m.values().stream()).collect(Collectors.toList());
    }

    /** A name, not a literal address: resolved at each probe into its addresses. */
    private static boolean expands(URI endpoint) {
        String host = endpoint.getHost();
        return !host.startsWith("[") && !IPV4.matcher(host).matches();
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no default TLS context", e);
        }
    }

    /** Resolves and probes now, as the prober does every {@code remote_probe_ms} (tests). */
    void probeNow() {
        probeAll();
    }

    private void probeAll() {
        for (URI endpoint : settings.endpoints()) {
            if (expands(endpoint)) {
                resolve(endpoint);
            }
        }
        List<Worker> workers;
        synchronized (this) {
            workers = all();
        }
        for (Worker worker : workers) {
            if (!worker.gone()) {
                probe(worker);
            }
        }
        dropUnused();
    }

    /** Brings the endpoint's workers in line with the addresses its name has now. */
    private void resolve(URI endpoint) {
        Set<String> addresses = new LinkedHashSet<>();
        try {
            for (InetAddress address : resolver.resolve(endpoint.getHost())) {
                String literal = address.getHostAddress();
                addresses.add(literal);
                names.put(literal, endpoint.getHost());
                names.put("[" + literal + "]", endpoint.getHost());
            }
        } catch (UnknownHostException e) {
            // a name that stops resolving is likely a DNS hiccup or no pod ready: its workers stay as they were,
            // and the probes say whether they still answer
            synchronized (this) {
                if (unresolved.put(endpoint, String.valueOf(e.getMessage())) == null) {
                    log.warn("remote endpoint {}: name does not resolve ({})", endpoint, e.getMessage());
                }
            }
            return;
        }
        synchronized (this) {
            unresolved.remove(endpoint);
            Map<String, Worker> workers = byEndpoint.get(endpoint);
            for (Worker worker : workers.values()) {
                boolean gone = !addresses.contains(worker.address());
                if (gone != worker.gone()) {
                    worker.gone(gone);
                    log.info("remote endpoint {}: address {} {}", endpoint, worker.address(),
                            gone ? "gone" : "back");
                }
            }
            for (String address : addresses) {
                if (!workers.containsKey(address)) {
                    Worker worker = new Worker(endpoint, at(endpoint, address), address);
                    add(endpoint, worker);
                    log.info("remote endpoint {}: new address {}", endpoint, address);
                }
            }
        }
    }

    /** The endpoint with its host replaced by one of its addresses: the websocket opens there. */
    private static URI at(URI endpoint, String address) {
        try {
            return new URI(endpoint.getScheme(), endpoint.getUserInfo(), address, endpoint.getPort(),
                    endpoint.getPath(), endpoint.getQuery(), endpoint.getFragment());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot address " + endpoint + " at " + address, e);
        }
    }

    private synchronized void add(URI endpoint, Worker worker) {
        byEndpoint.get(endpoint).put(worker.address(), worker);
        String label = worker.label();
        gauges.put(worker, List.of(
                Gauge.builder("livecap.remote.worker.sessions", worker, Worker::open).tag("endpoint", label)
                        .description("sessions open on a remote worker (its own count, or this node's)")
                        .register(Metrics.globalRegistry),
                Gauge.builder("livecap.remote.worker.capacity", worker, Worker::capacity).tag("endpoint", label)
                        .description("sessions a remote worker takes (-1 not announced, 0 no cap)")
                        .register(Metrics.globalRegistry),
                Gauge.builder("livecap.remote.worker.up", worker, w -> w.up() ? 1 : 0).tag("endpoint", label)
                        .description("1 while a remote worker answers").register(Metrics.globalRegistry)));
    }

    /** Workers whose address is gone and that carry none of this node's streams leave the pool. */
    private synchronized void dropUnused() {
        for (Map<String, Worker> workers : byEndpoint.values()) {
            workers.values().removeIf(worker -> {
                if (!worker.gone() || worker.ours() > 0) {
                    return false;
                }
                gauges.remove(worker).forEach(Metrics.globalRegistry::remove);
                log.info("remote worker {}: dropped (its address is gone and no stream of ours is on it)",
                        worker.label());
                return true;
            });
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
        } catch (SSLException e) {
            // a certificate that does not verify would fail every session too
            worker.down("TLS: " + e.getMessage());
        } catch (IOException e) {
            // it accepted the connection but did not answer HTTP as we expect: a websocket-only server is still up
            worker.probed(-1, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (RuntimeException e) {
            log.warn("remote worker {}: probe failed", worker.label(), e);
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
        synchronized (this) {
            gauges.values().forEach(meters -> meters.forEach(Metrics.globalRegistry::remove));
            gauges.clear();
        }
    }
}
