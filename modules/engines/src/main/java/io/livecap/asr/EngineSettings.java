package io.livecap.asr;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code engine} section of the configuration, handed to every provider: each reads the keys it declares in
 * {@link EngineProvider#settings()} (e.g. {@code vosk_model}), so the configuration needs no list of engines.
 */
public record EngineSettings(Map<String, String> values) {

    public EngineSettings {
        values = Map.copyOf(values);
    }

    /** The setting, or the provider's default when the configuration does not set it. */
    public String get(EngineProvider provider, String key) {
        String value = values.get(key);
        return value != null ? value : Optional.ofNullable(provider.settings().get(key))
                .orElseThrow(() -> new IllegalArgumentException(provider.name() + " declares no setting " + key));
    }

    public Path path(EngineProvider provider, String key) {
        return Path.of(get(provider, key));
    }
}
