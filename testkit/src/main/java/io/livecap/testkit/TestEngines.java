package io.livecap.testkit;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSelector;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;
import io.livecap.config.LivecapConfig;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Engines loaded once for the whole test run (models are big; sharing them is also what the server does). */
public final class TestEngines {

    private static final Map<String, SpeechEngine> LOADED = new HashMap<>();

    private TestEngines() {
    }

    /** Debian's pocketsphinx; the test skips, saying how to install it, where it is missing. */
    public static SpeechEngine pocketsphinx() {
        return get("pocketsphinx");
    }

    public static SpeechEngine sphinx4() {
        return get("sphinx4");
    }

    public static synchronized SpeechEngine get(String name) {
        SpeechEngine engine = LOADED.get(name);
        if (engine == null) {
            LivecapConfig.Engine config = LivecapConfig.defaults().engine();
            EngineSettings settings = new EngineSettings(config.settings());
            Optional<EngineProvider> provider = EngineSelector.provider(name);
            assumeTrue(provider.isPresent(), "skipped: engine " + name + " is not built into this tree");
            Optional<String> missing = provider.get().unavailableReason(settings);
            assumeTrue(missing.isEmpty(), () -> "skipped: " + name + " unavailable: " + missing.orElse(""));
            engine = provider.get().load(settings);
            LOADED.put(name, engine);
        }
        return engine;
    }
}
