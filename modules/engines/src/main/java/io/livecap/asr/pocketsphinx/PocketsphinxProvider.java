package io.livecap.asr.pocketsphinx;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;

import java.nio.file.Path;
import java.util.Optional;

/** Plugs {@link PocketsphinxEngine} into {@link io.livecap.asr.EngineSelector}. */
public final class PocketsphinxProvider implements EngineProvider {

    @Override
    public String name() {
        return "pocketsphinx";
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        return PocketsphinxEngine.unavailableReason(model(settings));
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        return PocketsphinxEngine.load(model(settings));
    }

    private static Path model(EngineSettings settings) {
        Path configured = settings.pocketsphinxModel();
        return configured == null ? PocketsphinxEngine.DEFAULT_MODEL : configured;
    }
}
