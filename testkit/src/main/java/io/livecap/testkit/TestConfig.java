package io.livecap.testkit;

import io.livecap.config.LivecapConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/** Settings for a server a test starts: loopback, any free port, a database of its own that vanishes with it. */
public final class TestConfig {

    private TestConfig() {
    }

    public static LivecapConfig local() {
        return LivecapConfig.load(null, Map.of(), localSettings());
    }

    /** {@link #local()} serving https/wss with the authority's localhost certificate. */
    public static LivecapConfig tls(TestAuthority authority, boolean required) {
        Map<String, String> settings = new HashMap<>(localSettings());
        settings.put("server.tls_cert_file", authority.chainPem().toString());
        settings.put("server.tls_key_file", authority.keyPem().toString());
        settings.put("server.tls_required", String.valueOf(required));
        return LivecapConfig.load(null, Map.of(), settings);
    }

    private static Map<String, String> localSettings() {
        return Map.of("server.port", "0", "server.host", "127.0.0.1",
                "store.url", "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
