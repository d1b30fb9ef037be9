package io.livecap.asr.remote;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.livecap.asr.WorkerPoolView.WorkerState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
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
 * one worker and never resolved. Over wss the address is dialled and the certificate checked against the name.
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
        HostResolver resolver = resolver();

        answer.set(List.of("127.0.0.1", "127.0.0.2"));
        pool = new WorkerPool(new RemoteSettings(List.of(named, literal), "", Duration.ofSeconds(10),
                Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1)), resolver,
                SSLContext.getDefault());
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

    /** Resolves {@link #NAME} to {@link #answer}'s addresses, and nothing else; notes every host asked. */
    private HostResolver resolver() {
        return host -> {
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
    }

    @Test
    void overWssTheAddressIsDialledAndTheCertificateCheckedAgainstTheName(@TempDir Path dir) throws Exception {
        // a certificate for the name only, as a headless Service's pods would share
        Path keys = dir.resolve("worker.p12");
        char[] password = "changeit".toCharArray();
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "worker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + NAME,
                "-ext", "SAN=dns:" + NAME, "-validity", "2", "-keystore", keys.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keytool.waitFor(), said);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(keys)) {
            store.load(in, password);
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(store, password);
        SSLContext serving = SSLContext.getInstance("TLS");
        serving.init(km.getKeyManagers(), null, null);
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(store);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tm.getTrustManagers(), null);

        int port = listenTls(serving, "127.0.0.1", 0, 5);
        listenTls(serving, "127.0.0.2", port, 6);
        answer.set(List.of("127.0.0.1", "127.0.0.2"));
        URI named = URI.create("wss://" + NAME + ":" + port + "/v1/vosk");
        pool = new WorkerPool(new RemoteSettings(List.of(named), "", Duration.ofSeconds(10), Duration.ofSeconds(5),
                Duration.ofSeconds(5), Duration.ofSeconds(1), Duration.ofHours(1)), resolver(), trusting);
        // each probed over https at its address, the certificate verified as the name's
        assertEquals(Set.of("127.0.0.1:5", "127.0.0.2:6"), upWithCapacity(named), pool.describe());
        Optional<Worker> taken = pool.take(List.of());
        assertTrue(taken.isPresent());
        assertTrue(Set.of("127.0.0.1", "127.0.0.2").contains(taken.get().uri().getHost()), taken.get().uri().toString());
        assertEquals("wss", taken.get().uri().getScheme());
        taken.get().given();
        pool.close();

        // the same listeners reached as another name: its certificate does not match, so no worker is up
        HostResolver other = host -> InetAddress.getAllByName("127.0.0.1");
        pool = new WorkerPool(new RemoteSettings(List.of(URI.create("wss://other.livecap.test:" + port + "/v1/vosk")),
                "", Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(1),
                Duration.ofHours(1)), other, trusting);
        List<WorkerState> states = pool.workers();
        assertEquals(1, states.size(), states.toString());
        assertFalse(states.get(0).up(), states.toString());
        assertTrue(states.get(0).reason().startsWith("TLS"), states.toString());
    }

    private int listenTls(SSLContext tls, String host, int port, int maxSessions) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(host, port), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        serveHealth(server, maxSessions);
        return server.getAddress().getPort();
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
        serveHealth(server, maxSessions);
        return server.getAddress().getPort();
    }

    private void serveHealth(HttpServer server, int maxSessions) {
        byte[] body = ("{\"role\":\"worker\",\"max_sessions\":" + maxSessions + ",\"open_sessions\":0}")
                .getBytes(StandardCharsets.UTF_8);
        server.createContext("/healthz", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
    }
}
