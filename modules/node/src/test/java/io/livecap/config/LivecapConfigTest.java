package io.livecap.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LivecapConfigTest {

    @Test
    void embeddedDefaultsAreTheDocumentedOnes() {
        LivecapConfig config = LivecapConfig.defaults();
        assertEquals(8080, config.server().port());
        assertEquals("auto", config.engine().name());
        assertEquals(42, config.captions().maxChars());
        assertEquals(2, config.captions().maxLines());
    }

    @Test
    void fileThenEnvironmentThenFlagsEachWin(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("livecap.yaml");
        Files.writeString(file, "server:\n  port: 7000\ncaptions:\n  max_chars: 32\n");
        LivecapConfig fromFile = LivecapConfig.load(file, Map.of(), Map.of());
        assertEquals(7000, fromFile.server().port());
        assertEquals(32, fromFile.captions().maxChars());
        assertEquals(2, fromFile.captions().maxLines());

        LivecapConfig fromEnv = LivecapConfig.load(file, Map.of("LIVECAP_SERVER_PORT", "7001", "PATH", "/bin",
                "LIVECAP_REACH_KS_US", "a secret, not a setting"), Map.of());
        assertEquals(7001, fromEnv.server().port());

        LivecapConfig fromFlag = LivecapConfig.load(file, Map.of("LIVECAP_SERVER_PORT", "7001"),
                Map.of("server.port", "7002"));
        assertEquals(7002, fromFlag.server().port());
    }

    @Test
    void aTypoIsAnErrorThatNamesTheSetting(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        Files.writeString(file, "captions:\n  max_char: 32\n");
        ConfigException e = assertThrows(ConfigException.class, () -> LivecapConfig.load(file, Map.of(), Map.of()));
        assertTrue(e.getMessage().contains("captions.max_char"), e.getMessage());
        ConfigException env = assertThrows(ConfigException.class,
                () -> LivecapConfig.load(null, Map.of("LIVECAP_SERVER_PROT", "1"), Map.of()));
        assertTrue(env.getMessage().contains("LIVECAP_SERVER_PROT"), env.getMessage());
    }

    @Test
    void assetCuesFollowTheDefaultReadingRulesAndImpossibleOnesAreRefused() {
        assertEquals(io.livecap.captions.CueRules.DEFAULTS, LivecapConfig.defaults().captions().cueRules());
        assertEquals(32, LivecapConfig.load(null, Map.of(), Map.of("captions.cue_max_chars_per_line", "32"))
                .captions().cueRules().maxCharsPerLine());
        ConfigException e = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("captions.cue_max_cps", "5")));
        assertTrue(e.getMessage().contains("captions.cue_"), e.getMessage());
    }

    @Test
    void partialsAreMediumStableByDefaultAndAnUnknownLevelIsRefused() {
        assertEquals(io.livecap.captions.Stability.MEDIUM, LivecapConfig.defaults().captions().stabilityLevel());
        assertEquals(io.livecap.captions.Stability.OFF, LivecapConfig.load(null, Map.of(),
                Map.of("captions.stability", "off")).captions().stabilityLevel());
        ConfigException e = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("captions.stability", "max")));
        assertTrue(e.getMessage().contains("captions.stability"), e.getMessage());
        assertTrue(LivecapConfig.defaults().captions().restoresCaseAndPunctuation());
        ConfigException punctuation = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("captions.punctuation", "model")));
        assertTrue(punctuation.getMessage().contains("captions.punctuation"), punctuation.getMessage());
    }

    @Test
    void limitsDefaultToTheServersOwnAndNonsenseIsRefused() {
        LivecapConfig config = LivecapConfig.defaults();
        assertEquals(io.livecap.server.ServerLimits.DEFAULT, io.livecap.node.LivecapNode.serverLimits(config.limits()),
                "config/livecap.yaml and ServerLimits.DEFAULT agree");
        assertEquals(32, config.limits().maxPulls());
        assertEquals(10, config.limits().startTimeoutSeconds());
        ConfigException e = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("limits.write_buffer_high_bytes", "2048", "limits.write_buffer_low_bytes", "4096")));
        assertTrue(e.getMessage().contains("write_buffer_low_bytes"), e.getMessage());
    }

    @Test
    void tlsIsOffByDefaultAndItsSettingsAreCheckedTogether(@TempDir Path dir) throws Exception {
        assertTrue(!LivecapConfig.defaults().server().tls());
        Path cert = Files.writeString(dir.resolve("chain.pem"), "-----BEGIN CERTIFICATE-----\n");
        Path key = Files.writeString(dir.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\n");
        LivecapConfig tls = LivecapConfig.load(null, Map.of("LIVECAP_SERVER_TLS_CERT_FILE", cert.toString(),
                "LIVECAP_SERVER_TLS_KEY_FILE", key.toString()), Map.of("server.tls_required", "true"));
        assertTrue(tls.server().tls() && tls.server().tlsRequired());

        ConfigException alone = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("server.tls_cert_file", cert.toString())));
        assertTrue(alone.getMessage().contains("go together"), alone.getMessage());
        ConfigException required = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("server.tls_required", "true")));
        assertTrue(required.getMessage().contains("server.tls_required needs"), required.getMessage());
        ConfigException missing = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("server.tls_cert_file", cert.toString(), "server.tls_key_file", dir + "/nope.pem")));
        assertTrue(missing.getMessage().contains("nope.pem"), missing.getMessage());
    }

    @Test
    void theStorePasswordIsNeverShownAndClusterSettingsAreChecked() {
        LivecapConfig pg = LivecapConfig.load(null, Map.of("LIVECAP_STORE_PASSWORD", "s3cret-pw"),
                Map.of("store.url", "jdbc:postgresql://127.0.0.1:5432/livecap?password=in-url-pw"));
        assertEquals("s3cret-pw", pg.store().password());
        assertTrue(!pg.toString().contains("s3cret-pw") && !pg.toString().contains("in-url-pw"), pg.toString());
        assertEquals(15, LivecapConfig.defaults().cluster().leaseTtlSeconds());
        assertEquals("", LivecapConfig.defaults().cluster().nodeId());
        ConfigException e = assertThrows(ConfigException.class, () -> LivecapConfig.load(null, Map.of(),
                Map.of("cluster.heartbeat_ms", "9000")));
        assertTrue(e.getMessage().contains("half the TTL"), e.getMessage());
    }
}
