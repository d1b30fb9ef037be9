package io.livecap.asr.remote;

import com.sun.net.httpserver.HttpServer;
import io.livecap.asr.WorkerPoolView.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An endpoint named like a Kubernetes headless Service: its name resolves to 2, then 3, then 1 addresses (three real
 * loopback listeners on one port, 127.0.0.1-3, each announcing its own capacity on /healthz), and the pool keeps one
 * worker per address; a worker whose address went away stays while a stream of ours is on it. A literal address is
 * one worker and never resolved.
 */
class WorkerPoolResolveTest {

    private static final String NAME = "asr-workers.livecap.test";

    private final List<HttpServer> servers = new ArrayList<>();
    private final AtomicReference<List<String>> answer = new AtomicReference<>(List.of());
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private WorkerPool pool;

    @AfterEach
    void stop() {
        if (pool != null) {
            pool.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    @Test
    void aNameBecomesOneWorkerPerAddressAtEachProbe() throws Exception {
        int port = listen("127.0.0.1", 0, 2);
        listen("127.0.0.2", port, 3);
        listen("127.0.0.3", port, 4);
        int literalPort = listen("127.0.0.1", 0, 9);
        URI named = URI.create("ws://" + NAME + ":" + port + "/v1/vosk");
        URI literal = URI.create("ws://127.0.0.1:" + literalPort + "/v1/vosk");
        HostResolver resolver = host -> {
            asked.add(host);
            if (!host.equals(NAME)) {
                throw new UnknownHostException(host + ": this test resolves only " + NAME);
            }
            List<String> addresses = answer.get();
            if (addresses.isEmpty()) {
                throw new UnknownHostException(host + ": no address now");
            }
            InetAddress[] all = new InetAddress[addresses.size()];
            for (int i = 0; i < all.length; i++) {
                all[i] = InetAddress.getByAddress(host, InetAddress.getByName(addresses.get(i)).getAddress());
            }
            return all;
        };

        answer.set(List.of("127.0.0.1", "127.0.0.2"));
        pool = new WorkerPool(new RemoteSettings(List.of(named, literal), "", Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1)), resolver);
        assertEquals(Set.of("127.0.0.1:2", "127.0.0.2:3"), upWithCapacity(named), pool.describe());
        assertEquals(Set.of("127.0.0.1:9"), upWithCapacity(literal), "a literal address is one worker");

        answer.set(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3"));
        pool.probeNow();
        assertEquals(Set.of("127.0.0.1:2", "127.0.0.2:3", "127.0.0.3:4"), upWithCapacity(named), pool.describe());

        // a stream of ours on the third pod; websockets open at the address, not the name
        List<Worker> others = new ArrayList<>();
        Worker third = null;
        for (int i = 0; i < 4; i++) {
            Optional<Worker> taken = pool.take(others);
            assertTrue(taken.isPresent(), pool.describe());
            if (taken.get().address().equals("127.0.0.3")) {
                third = taken.get();
                break;
            }
            taken.get().given();
            others.add(taken.get());
        }
        assertTrue(third != null, "the third address is in the pool: " + pool.describe());
        assertEquals("127.0.0.3", third.uri().getHost());
        assertEquals(port, third.uri().getPort());
        assertEquals("/v1/vosk", third.uri().getPath());

        answer.set(List.of("127.0.0.1"));
        pool.probeNow();
        assertEquals(Set.of("127.0.0.1:2"), upWithCapacity(named), pool.describe());
        WorkerState kept = state(named, "127.0.0.3");
        assertFalse(kept.up(), "its address is gone: no stream is placed on it");
        assertEquals(1, kept.ours(), "kept while our stream is on it");
        assertTrue(kept.reason().contains("no longer"), kept.reason());
        assertEquals(3, pool.workers().size(), "the second pod's worker is dropped, ours kept: " + pool.workers());
        for (int i = 0; i < 3; i++) {
            Optional<Worker> taken = pool.take(List.of());
            assertTrue(taken.isPresent());
            assertTrue(Set.of("127.0.0.1").contains(taken.get().address())
                    || taken.get().uri().equals(literal), "only live addresses are picked: " + taken.get());
            taken.get().given();
        }

        third.given(); // the stream ends
        pool.probeNow();
        assertEquals(List.of("127.0.0.1"), addresses(named), pool.describe());

        // the name stops resolving: its workers stay as they were, and the pool says why
        answer.set(List.of());
        pool.probeNow();
        assertEquals(Set.of("127.0.0.1:2"), upWithCapacity(named));
        assertTrue(pool.describe().contains("does not resolve"), pool.describe());
        assertFalse(asked.contains("127.0.0.1"), "a literal address is never resolved: " + asked);
    }

    /** "address:capacity" of each of the endpoint's workers that is up. */
    private Set<String> upWithCapacity(URI endpoint) {
        Set<String> up = new java.util.TreeSet<>();
        for (WorkerState w : pool.workers()) {
            if (w.endpoint().equals(endpoint.toString()) && w.up()) {
                up.add(w.address() + ":" + w.capacity());
            }
        }
        return up;
    }

    private List<String> addresses(URI endpoint) {
        return pool.workers().stream().filter(w -> w.endpoint().equals(endpoint.toString()))
                .map(WorkerState::address).toList();
    }

    private WorkerState state(URI endpoint, String address) {
        return pool.workers().stream().filter(w -> w.endpoint().equals(endpoint.toString())
                && w.address().equals(address)).findFirst().orElseThrow(() -> new AssertionError(
                address + " not in the pool: " + pool.workers()));
    }

    /** A /healthz that announces a livecap worker's capacity, on {@code host:port} (0: any free port). */
    private int listen(String host, int port, int maxSessions) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
        byte[] body = ("{\"role\":\"worker\",\"max_sessions\":" + maxSessions + ",\"open_sessions\":0}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server.getAddress().getPort();
    }
}
