package io.livecap.asr;

import java.util.Optional;

/**
 * How {@link EngineSelector} finds an engine: one provider per engine package, listed in
 * {@code META-INF/services/io.livecap.asr.EngineProvider}.
 */
public interface EngineProvider {

    /** The engine's name in configuration: {@code vosk}, {@code pocketsphinx}, {@code sphinx4}. */
    String name();

    /** Empty when the engine can load here; otherwise one line saying what is missing and how to get it. */
    Optional<String> unavailableReason(EngineSettings settings);

    /** Loads the model; {@link EngineUnavailableException} with the same kind of message when it cannot. */
    SpeechEngine load(EngineSettings settings);
}
