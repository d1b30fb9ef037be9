package io.livecap.asr;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
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

    private static final Logger log = LoggerFactory.getLogger(EngineSelector.class);

    private EngineSelector() {
    }

    public static SpeechEngine load(String name, EngineSettings settings) {
        String wanted = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        if (wanted.equals("auto")) {
            return auto(settings);
        }
        EngineProvider provider = provider(wanted).orElseThrow(() -> new EngineUnavailableException(
                "unknown engine \"" + name + "\"; choose auto, "
                        + String.join(", ", providers().stream().map(EngineProvider::name).toList())));
        Optional<String> missing = provider.unavailableReason(settings);
        if (missing.isPresent()) {
            throw new EngineUnavailableException(wanted + " is unavailable: " + missing.get());
        }
        log.info("engine: {} (configured)", wanted);
        return provider.load(settings);
    }

    public static Optional<EngineProvider> provider(String name) {
        return providers().stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** Every engine in this build, best first. */
    public static List<EngineProvider> providers() {
        List<EngineProvider> all = new ArrayList<>();
        ServiceLoader.load(EngineProvider.class).forEach(all::add);
        all.sort(Comparator.comparingInt(EngineProvider::priority).reversed());
        return all;
    }

    private static SpeechEngine auto(EngineSettings settings) {
        List<String> passedOver = new ArrayList<>();
        for (EngineProvider provider : providers()) {
            Optional<String> missing = provider.unavailableReason(settings);
            if (missing.isEmpty()) {
                log.info("engine: {} (auto{}{})", provider.name(), passedOver.isEmpty() ? "" : "; passed over: ",
                        String.join("; ", passedOver));
                return provider.load(settings);
            }
            passedOver.add(provider.name() + " - " + missing.get());
        }
        throw new EngineUnavailableException("no speech engine can run here: " + String.join("; ", passedOver));
    }
}
