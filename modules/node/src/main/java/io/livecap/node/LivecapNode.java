package io.livecap.node;

import io.livecap.asr.EngineSelector;
import io.livecap.auth.Authenticator;
import io.livecap.auth.Minted;
import io.livecap.auth.Role;
import io.livecap.store.JdbcCredentialStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.LineBreaker;
import io.livecap.captions.RuleRestorer;
import io.livecap.captions.WordList;
import io.livecap.config.LivecapConfig;
import io.livecap.delivery.CaptionHub;
import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.delivery.CaptionStore;
import io.livecap.ingest.Backoff;
import io.livecap.ingest.Ffmpeg;
import io.livecap.ingest.PullNetworks;
import io.livecap.ingest.PullSettings;
import io.livecap.session.Sessions;
import io.livecap.delivery.PushSettings;
import io.livecap.lifecycle.KalturaUplink;
import io.livecap.lifecycle.Lifecycle;
import io.livecap.lifecycle.LiveTaskRepository;
import io.livecap.lifecycle.LiveTaskRunner;
import io.livecap.lifecycle.LiveTaskStateMachine;
import io.livecap.lifecycle.ReachPoller;
import io.livecap.lifecycle.TranscriptDelivery;
import io.livecap.reach.ReachClient;
import io.livecap.reach.ReachEndpoint;
import io.livecap.reach.Secret;
import io.livecap.server.LivecapServer;
import io.livecap.server.ServerLimits;
import io.livecap.server.ServerTls;
import io.livecap.store.Database;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.livecap.store.JdbcDeliveryCheckpoints;
import io.livecap.store.JdbcLiveTaskRepository;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.store.JdbcLeases;
import io.livecap.store.PgCaptionRelay;
import io.livecap.store.OutageBufferedCaptionStore;
import io.livecap.store.OutageBufferedDeliveryCheckpoints;
import io.livecap.session.Leases;
import io.livecap.store.JdbcStoredCaptions;
import io.livecap.store.RetentionSweeper;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Set;
import java.util.function.Supplier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A whole livecap server put together from its configuration: engine, store, sessions, Netty. */
public final class LivecapNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivecapNode.class);
    /** How long a draining node gives each stream's last finals to be recognised, and then confirmed by Kaltura. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(15);

    private final SpeechEngine engine;
    private final Database database;
    private final JdbcLeases leases; // null on an ASR worker: it owns no task and no stream
    private final Lifecycle lifecycle; // null when no REACH endpoint is configured
    private final LiveTaskRepository tasks;
    private final Sessions sessions;
    private final LivecapServer server;
    private final InetSocketAddress address;
    private final Authenticator authenticator;
    private final String firstAdminKey; // only when this start created it
    private final RetentionSweeper retention; // null when store.retention_days is 0
    private JdbcLeases workerListing; // an ASR worker on a shared store: its row in /v1/cluster; else null

    private LivecapNode(SpeechEngine engine, Database database, JdbcLeases leases, Lifecycle lifecycle,
                        LiveTaskRepository tasks, Sessions sessions, LivecapServer server, InetSocketAddress address,
                        Authenticator authenticator, String firstAdminKey, RetentionSweeper retention) {
        this.leases = leases;
        this.retention = retention;
        this.authenticator = authenticator;
        this.firstAdminKey = firstAdminKey;
        this.engine = engine;
        this.database = database;
        this.lifecycle = lifecycle;
        this.tasks = tasks;
        this.sessions = sessions;
        this.server = server;
        this.address = address;
    }

    public static LivecapNode start(LivecapConfig config) throws InterruptedException {
        SpeechEngine engine = EngineSelector.load(config.engine().name(), new EngineSettings(config.engine().settings()));
        return start(config, engine);
    }

    /** With an engine already loaded (tests share one across servers). The node does not close it. */
    public static LivecapNode start(LivecapConfig config, SpeechEngine engine) throws InterruptedException {
        // read first: unreadable PEM files stop the start before anything is opened
        ServerTls tls = config.server().tls() ? ServerTls.fromPem(Path.of(config.server().tlsCertFile()),
                Path.of(config.server().tlsKeyFile()), config.server().tlsRequired()) : null;
        // added before anything counts, so /metrics sees every meter from the start
        PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Metrics.addRegistry(metrics);
        // counted where they happen (on the global registry); listed at 0 from the start so dashboards find them
        for (String result : new String[]{"ok", "rejected", "failed"}) {
            metrics.counter("livecap.reach.calls", "result", result);
        }
        for (String push : new String[]{"sent", "reconnects", "resent"}) {
            metrics.counter("livecap.kaltura.push." + push);
        }
        metrics.counter("livecap.media.gaps");
        metrics.counter("livecap.pts.discontinuities");
        LivecapConfig.Store storeConfig = config.store();
        Database database = Database.open(storeConfig.url(), storeConfig.user(), storeConfig.password(),
                storeConfig.maxConnections());
        String nodeId = nodeId(config.cluster());
        // every log line names the node (config/logback.xml prints this property): a cluster's logs get mixed
        System.setProperty("livecap.node", nodeId);
        boolean worker = config.cluster().worker();
        JdbcLeases leases = worker ? null : new JdbcLeases(database, nodeId,
                Duration.ofSeconds(config.cluster().leaseTtlSeconds()), Duration.ofMillis(config.cluster().heartbeatMs()));
        if (leases != null) {
            if (database.kind().embedded()) {
                leases.forgetEarlierProcesses();
            }
            leases.start(config.server().host() + ":" + config.server().port());
        }
        JdbcCaptionStore store = new JdbcCaptionStore(database);
        DeliveryCheckpoints checkpoints = new JdbcDeliveryCheckpoints(database);
        // on PostgreSQL any node serves any stream's captions: a feed follows the owner's over LISTEN/NOTIFY
        // and a PostgreSQL restart does not stop captions: their writes (and the captionUrl push's checkpoints,
        // queued behind the finals they confirm) wait in memory until it is back
        OutageBufferedCaptionStore buffered = database.kind() == Database.Kind.POSTGRESQL
                ? database.closesFirst(new OutageBufferedCaptionStore(store, Duration.ofSeconds(1),
                        Duration.ofMillis(500), 20_000))
                : null;
        CaptionHub hub = buffered != null
                ? new CaptionHub(buffered, database.closesFirst(new PgCaptionRelay(database, nodeId).start()))
                : new CaptionHub(store);
        if (buffered != null) {
            checkpoints = new OutageBufferedDeliveryCheckpoints(buffered, checkpoints);
        }
        // what the push, the asset and the console read: with the buffer, finals still in memory count
        CaptionStore captions = hub.store();
        LineBreaker breaker = new LineBreaker(config.captions().maxChars(), config.captions().maxLines());
        Sessions sessions = new Sessions(engine, hub, breaker,
                ChannelStrategy.parse(config.audio().channelStrategy()),
                Duration.ofSeconds(config.captions().timelineExpirySeconds()), Clock.systemUTC());
        Ffmpeg.choice(); // decided and logged at start-up, like the engine
        sessions.usePullSettings(pullSettings(config.ingest()));
        if (leases != null) {
            sessions.useLeases(leases);
            leases.reportLoad(() -> new Leases.Load(sessions.live().size(), -1, -1));
        }
        sessions.useStability(config.captions().stabilityLevel());
        sessions.useSpeakerChanges(config.captions().speakerChanges());
        sessions.useMaxFinalDelay(Duration.ofMillis(config.captions().maxFinalDelayMs()));
        if (config.captions().restoresCaseAndPunctuation()) {
            WordList names = WordList.debian(); // read (or found missing, and logged) once, at start-up
            sessions.useCaseAndPunctuation(() -> new RuleRestorer(names));
        }
        Authenticator authenticator = new Authenticator(new JdbcCredentialStore(database), config.auth().enabled(),
                Clock.systemUTC());
        String firstAdminKey = bootstrapAdminKey(authenticator, config.auth());
        LivecapConfig.Limits limits = config.limits();
        sessions.useLimits(limits.maxPulls(), Duration.ofMillis(limits.warningIntervalMs()));
        sessions.releaseIdleRecognizers(Duration.ofSeconds(limits.recognizerIdleSeconds()));
        // on this node's registry: the global one keeps the first node's gauge of a name (tests run many nodes)
        io.micrometer.core.instrument.Gauge.builder("livecap.recognizers.open", sessions, Sessions::recognizersOpen)
                .description("recognisers open now (each holds the engine's per-stream memory)").register(metrics);
        LivecapServer server = new LivecapServer(sessions, config.ingest().maxChunkBytes(),
                config.captions().language(), metrics, authenticator, config.auth().protectMetrics(),
                serverLimits(limits));
        if (tls != null) {
            server.useTls(tls);
        }
        if (worker) {
            server.serveAsWorker();
        }
        server.alerts().configure(config.alerts().settings());
        LiveTaskRepository tasks = new JdbcLiveTaskRepository(database);
        JdbcStoredCaptions stored = new JdbcStoredCaptions(database);
        server.useStoredCaptions(stored, id -> tasks.active().stream().anyMatch(t -> t.streamId().equals(id)));
        InetSocketAddress address = server.start(config.server().host(), config.server().port());
        if (worker) {
            if (config.reach().enabled()) {
                log.warn("ASR worker: reach.endpoints are ignored (a worker drives no REACH task)");
            }
            log.info("ASR worker {}: serving /v1/vosk with engine {}, at most {} sessions", nodeId, engine.name(),
                    limits.maxVoskSessions() == 0 ? "unlimited" : limits.maxVoskSessions());
            LivecapNode node = new LivecapNode(engine, database, null, null, tasks, sessions, server, address,
                    authenticator, firstAdminKey, null);
            if (!database.kind().embedded()) {
                // listed with its load beside the nodes (/v1/cluster); an embedded store is this process's alone,
                // so nobody would see it there
                int max = limits.maxVoskSessions();
                node.workerListing = new JdbcLeases(database, nodeId,
                        Duration.ofSeconds(config.cluster().leaseTtlSeconds()),
                        Duration.ofMillis(config.cluster().heartbeatMs())).asWorker()
                        .reportLoad(() -> new Leases.Load(sessions.live().size(), server.voskSessionsOpen(), max))
                        .start(config.server().host() + ":" + address.getPort());
            }
            return node;
        }
        leases.announce(config.server().host() + ":" + address.getPort());
        RetentionSweeper retention = retention(config.store(), stored, sessions, tasks);
        KalturaUplink uplink = config.reach().enabled()
                ? new KalturaUplink(captions, checkpoints, PushSettings.DEFAULT.untilStopped()) : null;
        Lifecycle lifecycle = config.reach().enabled() ? startLifecycle(config.reach(), uplink, captions, hub,
                sessions, tasks, leases, config.captions().cueRules()) : null;
        server.showTasks(new ReachTaskBoard(tasks, uplink, sessions, captions));
        return new LivecapNode(engine, database, leases, lifecycle, tasks, sessions, server, address, authenticator,
                firstAdminKey, retention);
    }

    /** The retention sweep (none with {@code store.retention_days} 0); it spares live streams and open tasks. */
    private static RetentionSweeper retention(LivecapConfig.Store store, JdbcStoredCaptions stored, Sessions sessions,
                                              LiveTaskRepository tasks) {
        if (store.retentionDays() == 0) {
            log.info("retention: off (store.retention_days 0), finals are kept for ever");
            return null;
        }
        Supplier<Collection<String>> spared = () -> {
            Set<String> ids = new HashSet<>();
            sessions.live().forEach(s -> ids.add(s.streamId()));
            tasks.active().forEach(t -> ids.add(t.streamId()));
            return ids;
        };
        return new RetentionSweeper(stored, Duration.ofDays(store.retentionDays()), spared, Clock.systemUTC())
                .start(Duration.ofMinutes(store.retentionSweepMinutes()));
    }

    /**
     * With auth on and no admin key yet, creates one and writes it to the key file; returns it (to be shown once,
     * never logged). With auth off, warns as loudly as a log can.
     */
    private static String bootstrapAdminKey(Authenticator authenticator, LivecapConfig.Auth auth) {
        if (!authenticator.enabled()) {
            String line = "*".repeat(100);
            log.warn(line);
            log.warn("AUTHENTICATION IS OFF (--no-auth / auth.enabled=false): anyone who can reach this port can push"
                    + " audio, read captions, start pulls and mint tokens. Use it for a local lab only.");
            log.warn(line);
            return null;
        }
        if (authenticator.hasAdminKey()) {
            return null;
        }
        Minted admin = authenticator.mint(Role.ADMIN, null, "created at first start");
        if (!auth.adminKeyFile().isBlank()) {
            AdminKeyFile.write(Path.of(auth.adminKeyFile()), admin.secret());
        }
        log.info("created the first admin key {} (kept in {})", admin.grant().id(),
                auth.adminKeyFile().isBlank() ? "no file" : auth.adminKeyFile());
        return admin.secret();
    }

    /** The server's part of the {@code limits} section. */
    public static ServerLimits serverLimits(LivecapConfig.Limits limits) {
        return new ServerLimits(limits.maxIngestSessions(), limits.maxVoskSessions(),
                limits.maxSubscribersPerStream(), limits.maxSubscribers(),
                Duration.ofSeconds(limits.startTimeoutSeconds()), Duration.ofSeconds(limits.idleTimeoutSeconds()),
                limits.writeBufferLowBytes(), limits.writeBufferHighBytes(), limits.voskMaxQueuedMs());
    }

    private static PullSettings pullSettings(LivecapConfig.Ingest ingest) {
        return new PullSettings(new Backoff(Duration.ofMillis(ingest.pullRetryFirstMs()),
                Duration.ofMillis(ingest.pullRetryMaxMs())), ingest.pullFailAfterAttempts(),
                Duration.ofSeconds(ingest.pullFailWithoutAudioSeconds()), ingest.tlsVerify(),
                ingest.tlsCaFile() == null || ingest.tlsCaFile().isBlank() ? null : Path.of(ingest.tlsCaFile()),
                PullNetworks.parse(ingest.allowedNetworks()));
    }

    private static Lifecycle startLifecycle(LivecapConfig.Reach reach, KalturaUplink uplink,
                                            CaptionStore store, CaptionHub hub, Sessions sessions,
                                            LiveTaskRepository tasks, JdbcLeases leases,
                                            io.livecap.captions.CueRules cueRules) {
        Map<String, ReachClient> clients = new LinkedHashMap<>();
        for (LivecapConfig.ReachEndpoint e : reach.endpoints()) {
            ReachEndpoint endpoint = new ReachEndpoint(e.region(), URI.create(e.url()), e.partnerId(), e.vendor(),
                    Secret.of(LivecapConfig.reachKs(e, System.getenv())), reach.appVersion());
            clients.put(e.region(), new ReachClient(endpoint));
        }
        Clock clock = Clock.systemUTC();
        LiveTaskStateMachine machine = new LiveTaskStateMachine(Duration.ofSeconds(reach.keepAliveSeconds()),
                Duration.ofSeconds(reach.deliveryGraceSeconds()));
        LiveTaskRunner runner = new LiveTaskRunner(clients, tasks, sessions, hub,
                uplink,
                new TranscriptDelivery(store, cueRules), machine, Duration.ofSeconds(reach.assetReadySeconds()), clock);
        Lifecycle lifecycle = new Lifecycle(new ReachPoller(List.copyOf(clients.values()), tasks), tasks, runner,
                Duration.ofSeconds(reach.pollSeconds()), Duration.ofMillis(reach.tickMs()), clock, leases);
        lifecycle.start();
        return lifecycle;
    }

    public int port() {
        return address.getPort();
    }

    /** ws://127.0.0.1:port + path (wss:// when the server has TLS), for local clients. */
    public URI url(String path) {
        return URI.create((server.servesTls() ? "wss" : "ws") + "://127.0.0.1:" + port() + path);
    }

    /** The admin key this start created (no admin key existed), to be shown once; empty otherwise. */
    public Optional<String> firstAdminKey() {
        return Optional.ofNullable(firstAdminKey);
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    /** The retention sweep, empty when {@code store.retention_days} is 0. */
    public Optional<RetentionSweeper> retention() {
        return Optional.ofNullable(retention);
    }

    public Sessions sessions() {
        return sessions;
    }

    public SpeechEngine engine() {
        return engine;
    }

    /**
     * Stops the server, draining first (SIGTERM comes here): readiness turns 503, the node leaves the cluster's
     * nodes, its REACH tasks are handed over (last finals recognised and confirmed by Kaltura, captionUrl let go
     * without eos, lease released for another node to claim at once), then live sessions finish their captions and
     * every lease left is handed back.
     */
    @Override
    public void close() {
        if (leases != null) {
            leases.drain(); // a worker holds none
        }
        if (retention != null) {
            retention.close();
        }
        if (lifecycle != null) {
            lifecycle.drain(DRAIN_GRACE);
            lifecycle.close();
        }
        server.close();
        if (leases != null) {
            leases.close(); // after the streams ended: hands what is left back for another node to take at once
        }
        if (workerListing != null) {
            workerListing.close(); // leaves the cluster's list
        }
        database.close();
    }

    /** This node's leases: its name, and who holds what on the shared store ({@link Leases#SOLO} on a worker). */
    public Leases leases() {
        return leases != null ? leases : Leases.SOLO;
    }

    /** {@code cluster.node_id}, or a name made up for this start. */
    private static String nodeId(LivecapConfig.Cluster cluster) {
        if (!cluster.nodeId().isBlank()) {
            return cluster.nodeId();
        }
        return "node-" + java.util.UUID.randomUUID().toString().substring(0, 8);
    }

    /** The REACH Live tasks this node knows (empty when REACH is off). */
    public LiveTaskRepository tasks() {
        return tasks;
    }

    /** Stops the server and frees the engine's model. */
    public void closeWithEngine() {
        close();
        engine.close();
    }
}
