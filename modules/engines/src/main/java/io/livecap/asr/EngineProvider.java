package io.livecap.asr;

import java.util.Map;
import java.util.Optional;

/**
 * How {@link EngineSelector} finds an engine: one provider per engine package, listed in
 * {@code META-INF/services/io.livecap.asr.EngineProvider}. A provider says how good it is ({@link #priority()}) and
 * which settings it reads, so neither {@code auto} nor the configuration keeps a list of engines.
 */
public interface EngineProvider {

    /** The engine's name in configuration: {@code vosk}, {@code pocketsphinx}, {@code sphinx4}. */
    String name();

    /** {@code auto} takes the available engine with the highest priority. */
    int priority();

    /** The {@code engine.*} settings this engine reads, with their defaults (documented in livecap.yaml). */
    default Map<String, String> settings() {
        return Map.of();
    }

    /** Empty when the engine can load here; otherwise one line saying what is missing and how to get it. */
    Optional<String> unavailableReason(EngineSettings settings);

    /** Loads the model; {@link EngineUnavailableException} with the same kind of message when it cannot. */
    SpeechEngine load(EngineSettings settings);
}
