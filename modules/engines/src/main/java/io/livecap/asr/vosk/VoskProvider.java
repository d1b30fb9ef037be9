package io.livecap.asr.vosk;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;

import java.util.Map;
import java.util.Optional;

/** Registers {@code vosk} with the engine selector. */
public final class VoskProvider implements EngineProvider {

    private static final String MODEL = "vosk_model";

    @Override
    public String name() {
        return VoskEngine.NAME;
    }

    @Override
    public int priority() {
        return 300; // the production engine, whenever a model is present
    }

    @Override
    public Map<String, String> settings() {
        return Map.of(MODEL, "models");
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        return VoskEngine.findModel(settings.path(this, MODEL)).isPresent() ? Optional.empty()
                : Optional.of("no Vosk model in " + settings.path(this, MODEL).toAbsolutePath()
                        + "; get one with `models/fetch " + VoskEngine.DEFAULT_MODEL + "` (models/README.md)");
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        return VoskEngine.loadFrom(settings.path(this, MODEL));
    }
}
