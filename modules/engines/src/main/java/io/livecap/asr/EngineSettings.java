package io.livecap.asr;

import java.nio.file.Path;

/**
 * Where the engines find their models.
 *
 * @param voskModels        a Vosk model directory, or a directory holding models
 * @param pocketsphinxModel the directory holding pocketsphinx's en-us model
 */
public record EngineSettings(Path voskModels, Path pocketsphinxModel) {
}
