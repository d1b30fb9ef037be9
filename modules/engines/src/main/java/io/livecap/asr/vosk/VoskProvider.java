package io.livecap.asr.vosk;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;

import java.util.Optional;

/** Registers {@code vosk} with the engine selector. */
public final class VoskProvider implements EngineProvider {

    @Override
    public String name() {
        return VoskEngine.NAME;
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        return VoskEngine.findModel(settings.voskModels()).isPresent() ? Optional.empty()
                : Optional.of("no Vosk model in " + settings.voskModels().toAbsolutePath()
                        + "; get one with `models/fetch " + VoskEngine.DEFAULT_MODEL + "` (models/README.md)");
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        return VoskEngine.loadFrom(settings.voskModels());
    }
}
