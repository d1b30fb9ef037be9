package io.livecap.asr.sphinx4;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;

import java.util.Optional;

/** Plugs {@link Sphinx4Engine} into {@link io.livecap.asr.EngineSelector}; its model is in a jar, so no settings. */
public final class Sphinx4Provider implements EngineProvider {

    @Override
    public String name() {
        return "sphinx4";
    }

    @Override
    public int priority() {
        return 100; // always there, the slowest
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        return Sphinx4Engine.unavailableReason();
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        return Sphinx4Engine.load();
    }
}
