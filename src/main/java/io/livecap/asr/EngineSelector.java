package io.livecap.asr;

import io.livecap.asr.pocketsphinx.PocketsphinxEngine;
import io.livecap.asr.sphinx4.Sphinx4Engine;
import io.livecap.asr.vosk.VoskEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Loads the configured engine. {@code auto} takes the best one this machine has: vosk if a model is present, else
 * pocketsphinx if Debian's library and model are installed, else sphinx4 (pure Java, always there). The choice and
 * the reason are logged, since "why are my captions worse on this box?" starts there.
 */
public final class EngineSelector {

    private static final Logger log = LoggerFactory.getLogger(EngineSelector.class);

    private EngineSelector() {
    }

    /**
     * @param name              auto, vosk, pocketsphinx or sphinx4
     * @param voskModels        a Vosk model directory or a directory holding models
     * @param pocketsphinxModel the directory holding pocketsphinx's en-us model
     */
    public static SpeechEngine load(String name, Path voskModels, Path pocketsphinxModel) {
        String wanted = name == null ? "auto" : name.trim().toLowerCase(Locale.ROOT);
        return switch (wanted) {
            case "vosk" -> {
                Path model = VoskEngine.findModel(voskModels).orElseThrow(() -> new EngineUnavailableException(
                        "no Vosk model in " + voskModels.toAbsolutePath() + "; fetch one with `models/fetch` "
                                + "(see models/README.md) or choose --engine pocketsphinx|sphinx4"));
                log.info("engine: vosk (configured), model {}", model);
                yield VoskEngine.load(model);
            }
            case "pocketsphinx" -> {
                log.info("engine: pocketsphinx (configured), model {}", pocketsphinxModel);
                yield PocketsphinxEngine.load(pocketsphinxModel);
            }
            case "sphinx4" -> {
                log.info("engine: sphinx4 (configured)");
                yield Sphinx4Engine.load();
            }
            case "auto" -> auto(voskModels, pocketsphinxModel);
            default -> throw new EngineUnavailableException("unknown engine \"" + name
                    + "\"; choose auto, vosk, pocketsphinx or sphinx4");
        };
    }

    private static SpeechEngine auto(Path voskModels, Path pocketsphinxModel) {
        Optional<Path> vosk = VoskEngine.findModel(voskModels);
        if (vosk.isPresent()) {
            log.info("engine: vosk (auto: found model {})", vosk.get());
            return VoskEngine.load(vosk.get());
        }
        Optional<String> noPocketsphinx = PocketsphinxEngine.unavailableReason(pocketsphinxModel);
        if (noPocketsphinx.isEmpty()) {
            log.info("engine: pocketsphinx (auto: no Vosk model in {}; pocketsphinx is installed)",
                    voskModels.toAbsolutePath());
            return PocketsphinxEngine.load(pocketsphinxModel);
        }
        log.info("engine: sphinx4 (auto: no Vosk model in {}; pocketsphinx unavailable: {})",
                voskModels.toAbsolutePath(), noPocketsphinx.get());
        return Sphinx4Engine.load();
    }
}
