package io.livecap.asr.remote;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.SpeechEngine;

import java.util.Map;
import java.util.Optional;

/**
 * Plugs {@link RemoteEngine} into {@link io.livecap.asr.EngineSelector}. Only chosen by name: {@code auto} means
 * "the best engine on this machine", and the lowest priority keeps it from ever being that.
 */
public final class RemoteProvider implements EngineProvider {

    @Override
    public String name() {
        return "remote";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Map<String, String> settings() {
        return Map.of("remote_endpoints", "", "remote_key", "", "remote_replay_seconds", "60",
                "remote_connect_timeout_ms", "3000", "remote_reply_timeout_ms", "10000",
                "remote_in_flight_ms", "1000", "remote_probe_ms", "2000");
    }

    @Override
    public Optional<String> unavailableReason(EngineSettings settings) {
        try {
            if (RemoteSettings.endpoints(settings.get(this, "remote_endpoints")).isEmpty()) {
                return Optional.of("engine.remote_endpoints lists no worker (e.g. [ws://10.0.0.5:8080/v1/vosk])");
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    @Override
    public SpeechEngine load(EngineSettings settings) {
        try {
            return new RemoteEngine(RemoteSettings.read(this, settings));
        } catch (IllegalArgumentException e) {
            throw new EngineUnavailableException("remote: " + e.getMessage(), e);
        }
    }
}
