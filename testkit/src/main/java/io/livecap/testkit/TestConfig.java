package io.livecap.testkit;

import io.livecap.config.LivecapConfig;
import io.livecap.ingest.PullNetworks;
import io.livecap.ingest.PullSettings;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Settings for a server a test starts: loopback, any free port, a database of its own that vanishes with it. */
public final class TestConfig {

    /**
     * What test servers listen on: tests pull from loopback, which production refuses ({@code ingest.allowed_networks}
     * is empty by default). The pull-safety tests narrow it to show the refusals.
     */
    public static final String LOOPBACK_NETWORKS = "127.0.0.0/8,::1";

    private TestConfig() {
    }

    /**
     * Credentials off: the tests that use this are about captions, media and the API's contracts, not about who may
     * call them (the credential tests use {@link #secured()}).
     */
    public static LivecapConfig local() {
        return local(Map.of());
    }

    /** As {@link #local()}, with some settings changed ({@code section.key -> value}, e.g. a small cap). */
    public static LivecapConfig local(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(localSettings());
        all.putAll(overrides);
        return LivecapConfig.load(null, Map.of(), all);
    }

    /** Credentials on, as by default; the admin key stays in memory ({@code LivecapNode.firstAdminKey()}). */
    public static LivecapConfig secured() {
        Map<String, String> settings = new HashMap<>(localSettings());
        settings.remove("auth.enabled");
        settings.put("auth.admin_key_file", "");
        return LivecapConfig.load(null, Map.of(), settings);
    }

    /** As {@link #local(Map)} with {@code storeUrl} as the store (e.g. {@link TestPostgres#freshUrl()}). */
    public static LivecapConfig onStore(String storeUrl, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(localSettings());
        all.put("store.url", storeUrl);
        all.putAll(overrides);
        return LivecapConfig.load(null, Map.of(), all);
    }

    /** {@link #local()} serving https/wss with the authority's localhost certificate. */
    public static LivecapConfig tls(TestAuthority authority, boolean required) {
        Map<String, String> settings = new HashMap<>(localSettings());
        settings.put("server.tls_cert_file", authority.chainPem().toString());
        settings.put("server.tls_key_file", authority.keyPem().toString());
        settings.put("server.tls_required", String.valueOf(required));
        return LivecapConfig.load(null, Map.of(), settings);
    }

    /** Pull settings for tests that start a decoder themselves: {@code base} with loopback allowed. */
    public static PullSettings loopbackPulls(PullSettings base) {
        return base.withNetworks(PullNetworks.parse(LOOPBACK_NETWORKS));
    }

    /** A node of its own on a free loopback port, an in-memory database, credentials off (tests that test them use
     * {@link #secured()}), pulls from loopback allowed. */
    private static Map<String, String> localSettings() {
        return Map.of("server.port", "0", "server.host", "127.0.0.1",
                "store.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "auth.enabled", "false",
                "ingest.allowed_networks", LOOPBACK_NETWORKS);
    }
}
