package io.livecap.cli;

import io.livecap.config.LivecapConfig;
import io.livecap.ingest.PullSource;
import io.livecap.node.LivecapNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the captioning server until stopped (Ctrl-C / SIGTERM finish live streams' captions first).",
                "",
                "Endpoints:",
                "  ws  /v1/ingest/{id}     push audio: start message, 8-byte pts + PCM chunks, eos",
                "  ws  /v1/captions/{id}   subscribe to captions (?from_seq=N replays stored finals)",
                "  ws  /v1/vosk            vosk-server compatible recognition",
                "  GET /healthz            liveness and engine",
                "  GET /v1/streams         live streams; POST starts a pull {id,url,key,language}",
                "  GET /v1/streams/{id}/health | /timing; PUT .../channel-strategy; DELETE stops a pull",
                "  GET /metrics            Prometheus metrics",
                "  POST /v1/tokens         mint a stream token or key; GET lists; DELETE /v1/tokens/{id} revokes",
                "Every endpoint but /healthz (and /metrics, unless auth.protect_metrics) needs a credential:",
                "Authorization: Bearer <key> or ?token=<key>. The first start creates and prints the admin key.",
                ""})
public final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port for HTTP and websockets (default: server.port, 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to bind (default: server.host, 0.0.0.0).")
    String host;

    @Option(names = "--engine", description = "auto, vosk, pocketsphinx or sphinx4 (default: engine.name, auto).")
    String engine;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML settings over the embedded defaults (default: ./config/livecap.yaml if present).")
    Path config;

    @Option(names = "--pull", paramLabel = "ID=URL", description = {"Pull a live source into stream ID at start-up",
            "(rtmp://, rtmps://, srt://, http(s)://...m3u8, ws(s)://); repeatable. The source's key, if any, comes",
            "from the environment variable LIVECAP_MEDIA_KEY_<ID> (upper case, - and . as _), never the command line."})
    Map<String, String> pulls = new LinkedHashMap<>();

    @Option(names = "--reach-url", paramLabel = "URL", description = {"A Kaltura REACH partner endpoint to drive Live caption",
            "tasks for (adds one to reach.endpoints). Its KS: --reach-ks or LIVECAP_REACH_KS_<REGION>."})
    String reachUrl;

    @Option(names = "--reach-region", paramLabel = "NAME", description = "Region name of --reach-url (default: its host).")
    String reachRegion;

    @Option(names = "--reach-partner-id", paramLabel = "N", description = "The vendor's partner id.")
    long reachPartnerId;

    @Option(names = "--reach-vendor", paramLabel = "NAME", description = "The vendor's name (in clientTag).")
    String reachVendor;

    @Option(names = "--reach-ks", paramLabel = "KS", description = "The vendor KS (prefer LIVECAP_REACH_KS_<REGION>: a command line is visible to ps).")
    String reachKs;

    @Option(names = "--role", paramLabel = "ROLE", description = {"node (default: cluster.role) or worker: an ASR worker",
            "serving only ws /v1/vosk, /healthz, /metrics and GET /v1/worker, for other nodes' remote engine."})
    String role;

    @Option(names = "--no-auth", description = {"Turn credentials off (auth.enabled=false): anyone who reaches the port",
            "may do anything. For a local lab only; warned loudly at start-up."})
    boolean noAuth;

    @Override
    public Integer call() throws Exception {
        LivecapConfig settings = load(config, port, host, engine, role);
        if (noAuth) {
            settings = settings.withAuth(new LivecapConfig.Auth(false, settings.auth().adminKeyFile(),
                    settings.auth().protectMetrics()));
        }
        if (reachUrl != null) {
            if (reachVendor == null || reachPartnerId == 0) {
                throw new IllegalArgumentException("--reach-url needs --reach-partner-id and --reach-vendor");
            }
            String region = reachRegion != null ? reachRegion : java.net.URI.create(reachUrl).getHost();
            settings = settings.withReachEndpoint(new LivecapConfig.ReachEndpoint(region, reachUrl, reachPartnerId,
                    reachVendor, reachKs));
        }
        LivecapNode node = LivecapNode.start(settings);
        for (Map.Entry<String, String> pull : pulls.entrySet()) {
            String keyVariable = "LIVECAP_MEDIA_KEY_" + pull.getKey().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
            node.sessions().openPull(pull.getKey(), PullSource.of(pull.getValue(), System.getenv(keyVariable)),
                    settings.captions().language(), null);
        }
        String keyFile = settings.auth().adminKeyFile();
        node.firstAdminKey().ifPresent(key -> printFirstAdminKey(key, keyFile, node.port()));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.closeWithEngine();
            stopped.countDown();
        }, "shutdown"));
        String scheme = settings.server().tls() ? "wss" : "ws";
        System.err.println("livecap: serving on port " + node.port() + " with engine " + node.engine().name()
                + (settings.cluster().worker() ? " as an ASR worker; recognition at " + scheme + "://HOST:"
                + node.port() + "/v1/vosk" : "; push audio to " + scheme + "://HOST:" + node.port() + "/v1/ingest/{id}"));
        stopped.await();
        return 0;
    }

    /** Shown once, on the terminal only (never a log line): the key exists nowhere else but the owner-only file. */
    private static void printFirstAdminKey(String key, String file, int port) {
        System.out.println("livecap: created the admin key (shown only this once"
                + (file.isBlank() ? "; no key file is configured, keep it now" : "; also kept in " + file + ", owner-only") + "):");
        System.out.println();
        System.out.println("    " + key);
        System.out.println();
        System.out.println("livecap: use it as `Authorization: Bearer <key>` (or ?token=<key> on websocket URLs), e.g.");
        System.out.println("    curl -H \"Authorization: Bearer $(cat " + (file.isBlank() ? "KEYFILE" : file) + ")\" http://127.0.0.1:" + port + "/v1/streams");
        System.out.println("livecap: mint narrower credentials with POST /v1/tokens (README: Credentials); feed and listen on this");
        System.out.println("machine read the key file by themselves.");
        System.out.flush();
    }

    public static LivecapConfig load(Path file, Integer port, String host, String engine) {
        return load(file, port, host, engine, null);
    }

    public static LivecapConfig load(Path file, Integer port, String host, String engine, String role) {
        Path chosen = file;
        if (chosen == null && Files.isRegularFile(Path.of("config", "livecap.yaml"))) {
            chosen = Path.of("config", "livecap.yaml");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("server.port", port.toString());
        }
        if (host != null) {
            overrides.put("server.host", host);
        }
        if (engine != null) {
            overrides.put("engine.name", engine);
        }
        if (role != null) {
            overrides.put("cluster.role", role);
        }
        return LivecapConfig.load(chosen, System.getenv(), overrides);
    }
}
