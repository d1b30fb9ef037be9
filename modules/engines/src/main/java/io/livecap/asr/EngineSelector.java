package io.livecap.asr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Loads the configured engine. {@code auto} takes the best one this machine has: vosk if a model is present, else
 * pocketsphinx if Debian's library and model are installed, else sphinx4 (pure Java, always there). The choice and
 * the reason are logged, since "why are my captions worse on this box?" starts there.
 */
public final class EngineSelector {

    /** Best first. */
    private static final List<String> AUTO_ORDER = List.of("vosk", "pocketsphinx", "sphinx4");
    private static final Logger log = LoggerFactory.getLogger(EngineSelector.class);

    private EngineSelector() {
    }

    public static SpeechEngine load(String name, EngineSettings settings) {
        String wanted = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return auto(settings);
        }
        EngineProvider provider = provider(wanted).orElseThrow(() -> new EngineUnavailableException(
                "unknown engine \"" + name + "\"; choose auto, " + String.join(", ", AUTO_ORDER)));
        Optional<String> missing = provider.unavailableReason(settings);
        if (missing.isPresent()) {
            throw new EngineUnavailableException(wanted + " is unavailable: " + missing.get());
        }
        log.info("engine: {} (configured)", wanted);
        return provider.load(settings);
    }

    public static Optional<EngineProvider> provider(String name) {
        for (EngineProvider p : ServiceLoader.load(EngineProvider.class)) {
            if (p.name().equals(name)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static SpeechEngine auto(EngineSettings settings) {
        List<String> passedOver = new ArrayList<>();
        for (String name : AUTO_ORDER) {
            Optional<EngineProvider> provider = provider(name);
            if (provider.isEmpty()) {
                continue;
            }
            Optional<String> missing = provider.get().unavailableReason(settings);
            if (missing.isEmpty()) {
                log.info("engine: {} (auto{}{})", name, passedOver.isEmpty() ? "" : "; passed over: ",
                        String.join("; ", passedOver));
                return provider.get().load(settings);
            }
            passedOver.add(name + " - " + missing.get());
        }
        throw new EngineUnavailableException("no speech engine can run here: " + String.join("; ", passedOver));
    }
}
