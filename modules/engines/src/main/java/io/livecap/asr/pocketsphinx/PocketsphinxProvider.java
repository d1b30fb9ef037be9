package io.livecap.asr.pocketsphinx;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** Plugs {@link PocketsphinxEngine} into {@link io.livecap.asr.EngineSelector}. */
public final class PocketsphinxProvider implements EngineProvider {

    private static final String MODEL = "pocketsphinx_model";
    private static final String PROFILE = "pocketsphinx_profile";
    private static final String THREADS = "pocketsphinx_threads";

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public int priority() {
        return 200; // fast and installed by apt, but weaker than a Vosk model
    }

    @Override
    public Map<String, String> settings() {
        return Map.of(MODEL, PocketsphinxEngine.DEFAULT_MODEL.toString(),
                PROFILE, PocketsphinxProfile.ACCURATE.configName(),
                THREADS, "0");
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        return PocketsphinxEngine.unavailableReason(model(settings));
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        return PocketsphinxEngine.load(model(settings), PocketsphinxProfile.parse(settings.get(this, PROFILE)),
                threads(settings.get(this, THREADS)));
    }

    /** {@code engine.pocketsphinx_threads}: 0 (the default) is one per core. */
    static int threads(String value) {
        int threads;
        try {
            threads = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            threads = -1;
        }
        if (threads < 0) {
            throw new IllegalArgumentException("engine.pocketsphinx_threads must be 0 (one per core) or a number of"
                    + " threads, not " + value);
        }
        return threads == 0 ? Runtime.getRuntime().availableProcessors() : threads;
    }

    private Path model(EngineSettings settings) {
        return settings.path(this, MODEL);
    }
}
