package io.livecap.sandbox;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.livecap.reach.ReachEndpoint;
import io.livecap.reach.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Kaltura REACH partner for vendors to rehearse against: the API v3 calls a live-caption vendor makes, over
 * real HTTP with Kaltura's JSON shapes and errors, live events whose media plays in real time over websockets, a
 * caption websocket that records what it receives, and a report of everything the vendor did
 * ({@code GET /sandbox/report}). Each region listens at {@code http://127.0.0.1:PORT/<region>}, with the same task
 * ids in every region, as Kaltura's regions have.
 */
public final class ReachSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReachSandbox.class);

    private final SandboxConfig config;
    private final Clock clock = Clock.systemUTC();
    private final Faults faults = new Faults();
    private final Map<String, SandboxRegion> regions = new LinkedHashMap<>();
    private final Instant startedAt = clock.instant();
    private final HttpServer http;
    private final ExecutorService httpThreads;
    private final ScheduledExecutorService timer;
    private final SandboxSockets sockets;

    private ReachSandbox(SandboxConfig config, MediaSource media) throws IOException, InterruptedException {
        this.config = config;
        this.timer = Executors.newSingleThreadScheduledExecutor(daemon("sandbox-timer"));
        this.httpThreads = Executors.newCachedThreadPool(daemon("sandbox-http"));
        this.http = HttpServer.create(new InetSocketAddress("127.0.0.1", config.port()), 64);
        http.setExecutor(httpThreads);
        http.createContext("/sandbox/", new AdminHandler(this));
        http.createContext("/", new ApiHandler(this::findRegion, faults, clock));
        int socketPort = config.port() == 0 ? 0 : config.port() + 1;
        this.sockets = new SandboxSockets(socketPort, this::findRegion, media, timer, clock);
        http.start();
        sockets.startAndWait();
    }

    /**
     * Starts a sandbox with {@code events} live events per region, starting in {@code startsInSeconds} and lasting
     * {@code durationSeconds}, whose media plays {@code audioFile} looped; other settings as
     * {@link SandboxConfig#of}.
     */
    public static ReachSandbox start(int port, int events, int startsInSeconds, int durationSeconds, Path audioFile)
            throws IOException {
        return start(SandboxConfig.of(port, events, startsInSeconds, durationSeconds, audioFile));
    }

    public static ReachSandbox start(SandboxConfig config) throws IOException {
        MediaSource media = MediaSource.of(config);
        ReachSandbox sandbox;
        try {
            sandbox = new ReachSandbox(config, media);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting", e);
        }
        for (String name : config.regions()) {
            sandbox.addRegion(name);
        }
        log.info("REACH sandbox on {} (websockets {}): regions {}, {} live event(s) each starting in {} s",
                sandbox.httpBase(), sandbox.sockets.base(), config.regions(), config.events(),
                config.startsIn().toSeconds());
        return sandbox;
    }

    /** Adds a region (if new) with the configured live events, the same task ids as the others. */
    public synchronized SandboxRegion addRegion(String name) {
        if (!name.matches("[a-z0-9-]+") || name.equals("sandbox")) {
            throw new IllegalArgumentException("a region name is lower-case letters, digits and '-' (not"
                    + " \"sandbox\"), got " + name);
        }
        SandboxRegion existing = regions.get(name);
        if (existing != null) {
            return existing;
        }
        SandboxRegion region = new SandboxRegion(name, config, clock, URI.create(httpBase() + "/" + name),
                sockets.base(), sockets::cancelled);
        region.addLiveTasks(config.events(), startedAt.plus(config.startsIn()), config.duration());
        regions.put(name, region);
        return region;
    }

    public synchronized SandboxRegion region(String name) {
        return findRegion(name).orElseThrow(() -> new IllegalArgumentException("no region " + name));
    }

    public synchronized List<String> regionNames() {
        return List.copyOf(regions.keySet());
    }

    private synchronized Optional<SandboxRegion> findRegion(String name) {
        return Optional.ofNullable(regions.get(name));
    }

    /** The API's base: {@code http://127.0.0.1:PORT}; a region's service URL adds {@code /<region>}. */
    public URI httpBase() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** The endpoint a {@link io.livecap.reach.ReachClient} uses for {@code region}. */
    public ReachEndpoint endpoint(String region, String appVersion) {
        SandboxRegion r = region(region);
        return new ReachEndpoint(r.name(), r.serviceUrl(), r.vendorPartnerId(), config.vendorName(), r.vendorKs(),
                appVersion);
    }

    public Secret vendorKs(String region) {
        return region(region).vendorKs();
    }

    /** Fault periods on every region's API, one after another from now. */
    public void injectFaults(Fault... faults) {
        this.faults.schedule(clock.instant(), Arrays.asList(faults));
    }

    /** How many calls a kind of fault has hit so far. */
    public int faultsServed(Fault.Kind kind) {
        return faults.served(kind);
    }

    /** The command line that points livecap at {@code region}. It holds the vendor KS: print it, never log it. */
    public String serveCommand(String region) {
        SandboxRegion r = region(region);
        return "livecap serve --reach-url " + r.serviceUrl() + " --reach-region " + r.name()
                + " --reach-partner-id " + r.vendorPartnerId() + " --reach-ks " + r.vendorKs().reveal()
                + " --reach-vendor " + config.vendorName();
    }

    /** What {@code GET /sandbox/report} answers. */
    public ObjectNode report() {
        ObjectNode json = Sandbox.JSON.createObjectNode();
        json.put("generatedAt", clock.instant().toString());
        json.put("startedAt", startedAt.toString());
        json.set("faults", faults.report());
        ArrayNode list = json.putArray("regions");
        List<SandboxRegion> all;
        synchronized (this) {
            all = new ArrayList<>(regions.values());
        }
        all.forEach(region -> list.add(region.report()));
        return json;
    }

    @Override
    public void close() {
        http.stop(0);
        try {
            sockets.stop(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SandboxRegion> all;
        synchronized (this) {
            all = new ArrayList<>(regions.values());
        }
        for (SandboxRegion region : all) {
            for (SandboxEvent event : region.events()) {
                LiveMedia media;
                synchronized (event) {
                    media = event.media;
                }
                if (media != null) {
                    media.end(1001, "the sandbox is shutting down");
                }
            }
        }
        timer.shutdownNow();
        httpThreads.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
