package io.livecap.asr.remote;

import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSettings;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code engine.remote_*} settings (config/livecap.yaml documents each).
 *
 * @param endpoints      vosk-server protocol websockets: ws://host:port/v1/vosk (livecap workers), ws://host:2700
 * @param key            sent as {@code Authorization: Bearer} when not empty (livecap workers with auth on)
 * @param replay         audio kept since the last final, re-sent to the next worker when one dies
 * @param connectTimeout to open a websocket, and for each health probe
 * @param replyTimeout   a worker that answers nothing this long while audio is in flight counts as dead
 * @param inFlight       audio sent but not yet answered before the stream waits for its worker
 * @param probeEvery     how often each endpoint's {@code /healthz} is read
 */
record RemoteSettings(List<URI> endpoints, String key, Duration replay, Duration connectTimeout,
                      Duration replyTimeout, Duration inFlight, Duration probeEvery) {

    RemoteSettings {
        endpoints = List.copyOf(endpoints);
        key = key == null ? "" : key;
    }

    static RemoteSettings read(EngineProvider provider, EngineSettings settings) {
        return new RemoteSettings(endpoints(settings.get(provider, "remote_endpoints")),
                settings.get(provider, "remote_key"),
                Duration.ofSeconds(positive(settings, provider, "remote_replay_seconds")),
                Duration.ofMillis(positive(settings, provider, "remote_connect_timeout_ms")),
                Duration.ofMillis(positive(settings, provider, "remote_reply_timeout_ms")),
                Duration.ofMillis(positive(settings, provider, "remote_in_flight_ms")),
                Duration.ofMillis(positive(settings, provider, "remote_probe_ms")));
    }

    /** Comma-separated (a YAML list arrives that way); each must be ws:// or wss:// with a host. */
    static List<URI> endpoints(String value) {
        List<URI> uris = new ArrayList<>();
        for (String part : value.split(",")) {
            String text = part.trim();
            if (text.isEmpty()) {
                continue;
            }
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("engine.remote_endpoints: not a URL: " + text);
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || uri.getHost() == null) {
                throw new IllegalArgumentException("engine.remote_endpoints: " + text
                        + " is not a ws:// or wss:// URL with a host (e.g. ws://10.0.0.5:8080/v1/vosk)");
            }
            uris.add(uri);
        }
        return uris;
    }

    private static long positive(EngineSettings settings, EngineProvider provider, String key) {
        String text = settings.get(provider, key).trim();
        long value;
        try {
            value = Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("engine." + key + " must be a whole number, not " + text);
        }
        if (value < 1) {
            throw new IllegalArgumentException("engine." + key + " must be >= 1, got " + value);
        }
        return value;
    }

    @Override
    public String toString() { // never the key
        return "RemoteSettings[" + endpoints + (key.isEmpty() ? "" : " key ***") + " replay " + replay.toSeconds()
                + " s]";
    }
}
