package io.livecap.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.livecap.alerts.AlertSettings;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.Stability;

import io.livecap.ingest.PullNetworks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * livecap's configuration. Layers, later wins: the defaults embedded in the jar ({@code config/livecap.yaml}),
 * a YAML file, environment variables {@code LIVECAP_<SECTION>_<KEY>}, then command-line overrides
 * ({@code section.key=value}). An unknown key is an error that names it, so a typo never passes silently.
 */
public record LivecapConfig(Server server, Engine engine, Captions captions, Audio audio, Ingest ingest,
                            Limits limits, Store store, Reach reach, Auth auth, Cluster cluster, Alerts alerts) {

    /** The {@code alerts} section (README "Alerts"); see {@link AlertSettings} for each setting. */
    public record Alerts(int noMediaSeconds, double minConfidence, int confidenceWindowSeconds, long maxBacklogMs,
                         int noCaptionSeconds, int logIntervalSeconds, String webhookUrl, int webhookTimeoutMs,
                         long maxTimingDriftMs) {

        public AlertSettings settings() {
            return new AlertSettings(noMediaSeconds, minConfidence, confidenceWindowSeconds, maxBacklogMs,
                    noCaptionSeconds, logIntervalSeconds, webhookUrl, webhookTimeoutMs, maxTimingDriftMs);
        }
    }

    /**
     * @param tlsCertFile a PEM certificate chain (the server's first), "" = no TLS
     * @param tlsKeyFile  its PKCS#8 PEM private key
     * @param tlsRequired plain HTTP on the port is answered 400 "use https/wss" instead of served
     */
    public record Server(String host, int port, String tlsCertFile, String tlsKeyFile, boolean tlsRequired) {

        public boolean tls() {
            return tlsCertFile != null && !tlsCertFile.isBlank();
        }
    }

    /**
     * @param name     auto, or an engine's name
     * @param settings the rest of the section, for the engines to read ({@code vosk_model}, ...): the engines
     *                 declare their own settings, so this record lists none of them
     */
    public record Engine(String name, Map<String, String> settings) {

        public Engine {
            settings = Map.copyOf(settings);
        }

        /** A list (e.g. {@code remote_endpoints: [ws://a, ws://b]}) reaches the engines comma-separated. */
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        static Engine of(Map<String, Object> section) {
            Map<String, String> settings = new java.util.TreeMap<>();
            section.forEach((key, value) -> settings.put(key, value instanceof List<?> list
                    ? String.join(",", list.stream().map(String::valueOf).toList())
                    : value == null ? "" : String.valueOf(value)));
            return new Engine(settings.remove("name"), settings);
        }
    }

    /**
     * {@code timelineExpirySeconds}: how long an explicitly ended stream id keeps its timeline (see Sessions);
     * {@code stability}: how steady partials are (off, low, medium, high; see captions' Stability);
     * {@code punctuation}: {@code rules} gives captions sentence case and punctuation (captions' RuleRestorer),
     * {@code off} leaves the engine's words as they are. {@code cue*}: the reading rules of delivered assets
     * (captions' CueRules). {@code maxFinalDelayMs}: committed words wait at most this much audio for their
     * final (0: finals only at the engine's end of utterance; see captions' CaptionBuilder). {@code speakerChanges}:
     * mark the first caption after a speaker change ({@code >> }, speaker_change) on every stream (a REACH task's enableSpeakerId turns it on for that task's stream).
     */
    public record Captions(String language, int maxChars, int maxLines, long timelineExpirySeconds,
                           String stability, String punctuation, int cueMaxCharsPerLine, int cueMaxLines,
                           double cueMaxCps, double cueMinSeconds, double cueMaxSeconds, boolean speakerChanges,
                           long maxFinalDelayMs) {

        /** The reading rules the cues of delivered SRT/VTT/DFXP files respect. */
        public io.livecap.captions.CueRules cueRules() {
            return new io.livecap.captions.CueRules(cueMaxCharsPerLine, cueMaxLines, cueMaxCps,
                    Math.round(cueMinSeconds * 1000), Math.round(cueMaxSeconds * 1000));
        }

        public boolean restoresCaseAndPunctuation() {
            return punctuation == null || punctuation.equals("rules");
        }

        public Stability stabilityLevel() {
            return stability == null ? Stability.MEDIUM : Stability.parse(stability);
        }
    }

    public record Audio(String channelStrategy) {
    }

    public record Ingest(int maxChunkBytes, int pullRetryFirstMs, int pullRetryMaxMs, int pullFailAfterAttempts,
                         int pullFailWithoutAudioSeconds, boolean tlsVerify, String tlsCaFile,
                         String allowedNetworks) {
    }

    /** What clients can hold: connection caps, timeouts, write-buffer watermarks (0 caps = none). */
    public record Limits(int maxIngestSessions, int maxPulls, int maxVoskSessions, int maxSubscribersPerStream,
                         int maxSubscribers, int startTimeoutSeconds, int idleTimeoutSeconds,
                         int writeBufferLowBytes, int writeBufferHighBytes, int voskMaxQueuedMs,
                         int warningIntervalMs, int recognizerIdleSeconds) {
    }

    /**
     * @param url                   jdbc:h2:... (embedded, one node) or jdbc:postgresql://host/db (shared by a cluster)
     * @param user                  "" = the URL's own
     * @param password              "" = the URL's own; never logged (prefer LIVECAP_STORE_PASSWORD)
     * @param maxConnections        the connection pool's size
     * @param retentionDays         finals stored longer ago are removed (0 = kept for ever)
     * @param retentionSweepMinutes how often the retention sweep runs
     */
    public record Store(String url, String user, String password, int maxConnections, int retentionDays,
                        int retentionSweepMinutes) {

        public Store {
            user = user == null ? "" : user;
            password = password == null ? "" : password;
        }

        @Override
        public String toString() {
            return "Store[" + url.replaceAll("(?i)(password=)[^;&]*", "$1***") + " user " + user
                    + (password.isEmpty() ? "" : " password ***") + " pool " + maxConnections + " retention "
                    + retentionDays + " d]";
        }
    }

    /**
     * @param nodeId            this node's name in leases, logs and /v1/cluster; "" = generated at each start
     * @param leaseTtlSeconds   a lease not renewed for this long may be taken by another node
     * @param heartbeatMs       how often leases are renewed and the node's heartbeat written
     * @param role              node (everything) or worker (an ASR worker: only /v1/vosk, health and metrics)
     */
    public record Cluster(String nodeId, int leaseTtlSeconds, int heartbeatMs, String role) {

        public Cluster {
            nodeId = nodeId == null ? "" : nodeId;
            role = role == null || role.isBlank() ? "node" : role.trim().toLowerCase(Locale.ROOT);
        }

        public boolean worker() {
            return role.equals("worker");
        }
    }

    /**
     * @param enabled        false = lab mode, anyone who reaches the port may do anything (warned loudly at start)
     * @param adminKeyFile   where the first start writes the admin key it creates (owner-only); "" = nowhere
     * @param protectMetrics whether /metrics needs an operator credential
     */
    public record Auth(boolean enabled, String adminKeyFile, boolean protectMetrics) {
    }

    public record Reach(List<ReachEndpoint> endpoints, String appVersion, int pollSeconds, int tickMs,
                        int keepAliveSeconds, int deliveryGraceSeconds, int assetReadySeconds) {

        public Reach {
            endpoints = endpoints == null ? List.of() : List.copyOf(endpoints);
        }

        public boolean enabled() {
            return !endpoints.isEmpty();
        }
    }

    /** One REACH partner endpoint (a region). {@code ks} is the vendor's KS; prefer the environment for it. */
    public record ReachEndpoint(String region, String url, long partnerId, String vendor, String ks) {

        @Override
        public String toString() {
            return "ReachEndpoint[" + region + " " + url + " partner " + partnerId + " vendor " + vendor + "]";
        }
    }

    private static final String ENV_PREFIX = "LIVECAP_";
    /** Secrets by region, not settings: see {@link #reachKs}. */
    private static final String REACH_KS_PREFIX = "LIVECAP_REACH_KS_";
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    /** The embedded defaults alone. */
    public static LivecapConfig defaults() {
        return load(null, Map.of(), Map.of());
    }

    /**
     * @param file      a YAML file to lay over the defaults, or null
     * @param env       the environment (only {@code LIVECAP_*} variables are read)
     * @param overrides {@code section.key -> value} from the command line
     */
    public static LivecapConfig load(Path file, Map<String, String> env, Map<String, String> overrides) {
        try {
            ObjectNode tree = readDefaults();
            if (file != null) {
                if (!Files.isRegularFile(file)) {
                    throw new ConfigException("configuration file " + file + " does not exist");
                }
                JsonNode overlay = YAML.readTree(file.toFile());
                if (overlay != null && !overlay.isMissingNode() && !overlay.isNull()) {
                    merge(tree, overlay, file.toString(), "");
                }
            }
            env.forEach((name, value) -> {
                if (name.startsWith(ENV_PREFIX) && !name.startsWith(REACH_KS_PREFIX)) {
                    String rest = name.substring(ENV_PREFIX.length()).toLowerCase(Locale.ROOT);
                    int split = rest.indexOf('_');
                    if (split > 0 && tree.has(rest.substring(0, split))) {
                        set(tree, rest.substring(0, split), rest.substring(split + 1), value, "environment " + name);
                    }
                }
            });
            overrides.forEach((key, value) -> {
                int dot = key.indexOf('.');
                set(tree, key.substring(0, dot), key.substring(dot + 1), value, "option " + key);
            });
            LivecapConfig config = YAML.treeToValue(tree, LivecapConfig.class);
            config.check();
            return config;
        } catch (IOException e) {
            throw new ConfigException("cannot read configuration: " + e.getMessage());
        }
    }

    /** The same configuration with another store (the demo and the benchmark keep nothing). */
    public LivecapConfig withStoreUrl(String url) {
        return new LivecapConfig(server, engine, captions, audio, ingest, limits, new Store(url, store.user(),
                store.password(), store.maxConnections(), store.retentionDays(), store.retentionSweepMinutes()),
                reach, auth, cluster, alerts);
    }

    /** The same configuration with one more REACH endpoint (the serve command's --reach-* flags). */
    public LivecapConfig withReachEndpoint(ReachEndpoint endpoint) {
        List<ReachEndpoint> all = new java.util.ArrayList<>(reach.endpoints());
        all.add(endpoint);
        return new LivecapConfig(server, engine, captions, audio, ingest, limits, store, new Reach(all, reach.appVersion(),
                reach.pollSeconds(), reach.tickMs(), reach.keepAliveSeconds(), reach.deliveryGraceSeconds(),
                reach.assetReadySeconds()), auth, cluster, alerts);
    }

    /** The same configuration with other credential settings (the demo, the benchmark, tests). */
    public LivecapConfig withAuth(Auth other) {
        return new LivecapConfig(server, engine, captions, audio, ingest, limits, store, reach, other, cluster, alerts);
    }

    /** The KS of an endpoint: from its settings, else from LIVECAP_REACH_KS_<REGION>. */
    public static String reachKs(ReachEndpoint endpoint, Map<String, String> env) {
        if (endpoint.ks() != null && !endpoint.ks().isBlank()) {
            return endpoint.ks();
        }
        String variable = REACH_KS_PREFIX + endpoint.region().toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
        String ks = env.get(variable);
        if (ks == null || ks.isBlank()) {
            throw new ConfigException("REACH region " + endpoint.region() + " has no KS: set " + variable);
        }
        return ks;
    }

    private void check() {
        for (ReachEndpoint e : reach.endpoints()) {
            if (e.region() == null || e.region().isBlank() || e.url() == null || e.vendor() == null) {
                throw new ConfigException("reach.endpoints: each needs region, url, partner_id and vendor: " + e);
            }
        }
        if (reach.pollSeconds() < 1 || reach.tickMs() < 50) {
            throw new ConfigException("reach.poll_seconds must be >= 1 and reach.tick_ms >= 50");
        }
        if (reach.assetReadySeconds() < 1) {
            throw new ConfigException("reach.asset_ready_seconds must be >= 1, got " + reach.assetReadySeconds());
        }
        if (server.port < 0 || server.port > 65535) {
            throw new ConfigException("server.port must be 0-65535, got " + server.port);
        }
        checkTls();
        if (captions.timelineExpirySeconds < 0) {
            throw new ConfigException("captions.timeline_expiry_seconds must be >= 0");
        }
        if (captions.maxFinalDelayMs < 0) {
            throw new ConfigException("captions.max_final_delay_ms must be >= 0 (0: finals at the engine's end of"
                    + " utterance only), got " + captions.maxFinalDelayMs);
        }
        if (captions.maxChars < 8 || captions.maxLines < 1) {
            throw new ConfigException("captions.max_chars must be >= 8 and captions.max_lines >= 1");
        }
        if (captions.punctuation != null && !List.of("rules", "off").contains(captions.punctuation)) {
            throw new ConfigException("captions.punctuation must be rules or off, not " + captions.punctuation);
        }
        try {
            captions.stabilityLevel();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        try {
            captions.cueRules();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("captions.cue_*: " + e.getMessage());
        }
        try {
            ChannelStrategy.parse(audio.channelStrategy);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("audio.channel_strategy: " + e.getMessage());
        }
        if (limits.startTimeoutSeconds < 1 || limits.idleTimeoutSeconds < 0 || limits.writeBufferLowBytes < 1024
                || limits.writeBufferHighBytes < limits.writeBufferLowBytes || limits.voskMaxQueuedMs < 100
                || limits.warningIntervalMs < 0 || limits.recognizerIdleSeconds < 0 || limits.maxIngestSessions < 0
                || limits.maxPulls < 0 || limits.maxVoskSessions < 0 || limits.maxSubscribersPerStream < 0
                || limits.maxSubscribers < 0) {
            throw new ConfigException("limits: caps must be >= 0, start_timeout_seconds >= 1, idle_timeout_seconds"
                    + " >= 0, recognizer_idle_seconds >= 0, write_buffer_low_bytes >= 1024 and <="
                    + " write_buffer_high_bytes, vosk_max_queued_ms >= 100: " + limits);
        }
        if (store.retentionDays < 0 || store.retentionSweepMinutes < 1) {
            throw new ConfigException("store.retention_days must be >= 0 (0 = keep for ever) and"
                    + " store.retention_sweep_minutes >= 1");
        }
        if (store.maxConnections() < 2) {
            throw new ConfigException("store.max_connections must be >= 2, got " + store.maxConnections());
        }
        if (cluster.leaseTtlSeconds() < 2 || cluster.heartbeatMs() < 100
                || cluster.heartbeatMs() * 2L > cluster.leaseTtlSeconds() * 1000L) {
            throw new ConfigException("cluster: lease_ttl_seconds must be >= 2 and heartbeat_ms >= 100 and at most"
                    + " half the TTL (a lease must survive one missed heartbeat): " + cluster);
        }
        if (!List.of("node", "worker").contains(cluster.role())) {
            throw new ConfigException("cluster.role must be node or worker, not " + cluster.role());
        }
        if (!cluster.nodeId().matches("[A-Za-z0-9._-]{0,64}")) {
            throw new ConfigException("cluster.node_id: letters, digits, '.', '_' and '-', at most 64: "
                    + cluster.nodeId());
        }
        try {
            alerts.settings();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
        if (ingest.maxChunkBytes < 1024) {
            throw new ConfigException("ingest.max_chunk_bytes must be at least 1024");
        }
        try {
            PullNetworks.parse(ingest.allowedNetworks);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private void checkTls() {
        boolean key = server.tlsKeyFile != null && !server.tlsKeyFile.isBlank();
        if (server.tls() != key) {
            throw new ConfigException("server.tls_cert_file and server.tls_key_file go together: set both or neither");
        }
        if (server.tlsRequired && !server.tls()) {
            throw new ConfigException("server.tls_required needs server.tls_cert_file and server.tls_key_file");
        }
        for (String file : server.tls() ? List.of(server.tlsCertFile, server.tlsKeyFile) : List.<String>of()) {
            if (!Files.isReadable(Path.of(file))) {
                throw new ConfigException("server TLS: cannot read " + file);
            }
        }
    }

    private static ObjectNode readDefaults() throws IOException {
        try (InputStream in = LivecapConfig.class.getResourceAsStream("/livecap.yaml")) {
            if (in == null) {
                throw new UncheckedIOException(new IOException("livecap.yaml missing from the jar"));
            }
            return (ObjectNode) YAML.readTree(in);
        }
    }

    private static void set(ObjectNode tree, String section, String key, String value, String source) {
        JsonNode node = tree.get(section);
        if (!(node instanceof ObjectNode sectionNode) || !sectionNode.has(key)) {
            throw new ConfigException(source + ": no setting " + section + "." + key);
        }
        sectionNode.put(key, value);
    }

    private static void merge(ObjectNode into, JsonNode overlay, String source, String path) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String name = path + field.getKey();
            JsonNode existing = into.get(field.getKey());
            if (existing == null) {
                throw new ConfigException(source + ": unknown setting " + name);
            }
            if (existing instanceof ObjectNode section && field.getValue().isObject()) {
                merge(section, field.getValue(), source, name + ".");
            } else {
                into.set(field.getKey(), field.getValue());
            }
        }
    }
}
