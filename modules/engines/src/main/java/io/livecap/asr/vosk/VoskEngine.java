package io.livecap.asr.vosk;

import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vosk.LibVosk;
import org.vosk.LogLevel;
import org.vosk.Model;
import org.vosk.Recognizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The production engine: Vosk (Kaldi) through JNA, with libvosk bundled in its jar. One model, loaded once, serves
 * every stream; each stream gets its own recogniser.
 *
 * <p>libvosk logs to the process's stderr, not through SLF4J. It is kept to warnings and errors unless the system
 * property {@value #LOG_LEVEL_PROPERTY} says {@code info} or {@code debug}; model errors only show there.
 */
public final class VoskEngine implements SpeechEngine {

    public static final String NAME = "vosk";
    /** The model {@code models/fetch} gets when given no name. */
    public static final String DEFAULT_MODEL = "vosk-model-small-en-us-0.15";
    public static final String LOG_LEVEL_PROPERTY = "livecap.vosk.logLevel";

    private static final Logger log = LoggerFactory.getLogger(VoskEngine.class);

    private final Path modelDir;
    private final Model model;
    private boolean closed;

    private VoskEngine(Path modelDir, Model model) {
        this.modelDir = modelDir;
        this.model = model;
    }

    /**
     * The Vosk model in {@code modelsDir}: the directory itself if it is one, else its first subdirectory (by name)
     * that is one. A model has {@code am/final.mdl} and {@code conf/model.conf}, or (older layout) {@code final.mdl}
     * and {@code mfcc.conf} at its top.
     */
    public static Optional<Path> findModel(Path modelsDir) {
        if (isModel(modelsDir)) {
            return Optional.of(modelsDir);
        }
        if (!Files.isDirectory(modelsDir)) {
            return Optional.empty();
        }
        try (Stream<Path> children = Files.list(modelsDir)) {
            return children.filter(VoskEngine::isModel).sorted().findFirst();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + modelsDir, e);
        }
    }

    /** Loads the first model {@link #findModel} finds in {@code modelsDir}. */
    public static VoskEngine loadFrom(Path modelsDir) {
        return load(findModel(modelsDir).orElseThrow(() -> new EngineUnavailableException(
                "no Vosk model in " + modelsDir.toAbsolutePath() + ": run `models/fetch " + DEFAULT_MODEL
                        + "` (see models/README.md)")));
    }

    /**
     * Loads the model in {@code modelDir}.
     *
     * @throws EngineUnavailableException if libvosk cannot be loaded or the model is missing or invalid; the message
     *                                    says what is missing and how to fetch a model
     */
    public static VoskEngine load(Path modelDir) {
        String fetch = "run `models/fetch " + modelName(modelDir) + "` (see models/README.md)";
        if (!Files.isDirectory(modelDir)) {
            throw new EngineUnavailableException("Vosk model directory " + modelDir.toAbsolutePath()
                    + " does not exist: " + fetch);
        }
        if (!isModel(modelDir)) {
            throw new EngineUnavailableException(modelDir.toAbsolutePath() + " is not a Vosk model: it has neither "
                    + "am/final.mdl with conf/model.conf nor final.mdl with mfcc.conf: " + fetch);
        }
        setLogLevel();
        long started = System.nanoTime();
        Model model;
        try {
            model = new Model(modelDir.toAbsolutePath().toString());
        } catch (IOException e) {
            // libvosk returns no reason: Kaldi's error went to stderr just before this.
            throw new EngineUnavailableException("libvosk could not load the model in " + modelDir.toAbsolutePath()
                    + " (its reason is in the ERROR line libvosk printed above); the model is damaged or "
                    + "incomplete: " + fetch, e);
        }
        log.info("vosk: loaded model {} in {} ms", modelDir.toAbsolutePath(), (System.nanoTime() - started) / 1_000_000);
        return new VoskEngine(modelDir, model);
    }

    @Override
    public String name() {
        return NAME;
    }

    public Path modelDir() {
        return modelDir;
    }

    /**
     * Opens a recogniser on the shared model; {@code options} are ignored (one model; Vosk's grammars restrict
     * recognition to their words, which is not what a vocabulary hint means). Synchronized with {@link #close} so a
     * recogniser is never created on a model being freed.
     */
    @Override
    public synchronized RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        if (closed) {
            throw new IllegalStateException("vosk engine for " + modelDir + " is closed");
        }
        Recognizer recognizer;
        try {
            recognizer = new Recognizer(model, SAMPLE_RATE);
        } catch (IOException e) {
            // A model whose network does not fit its features loads, then fails here.
            throw new EngineUnavailableException("libvosk could not create a recogniser for the model in "
                    + modelDir.toAbsolutePath() + " (its reason is in the ERROR line libvosk printed above)", e);
        }
        return new VoskStream(recognizer, listener);
    }

    /** Releases the model; libvosk counts references, so streams still open keep working until they close. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            model.close();
        }
    }

    static boolean isModel(Path dir) {
        return Files.isRegularFile(dir.resolve("am/final.mdl")) && Files.isRegularFile(dir.resolve("conf/model.conf"))
                || Files.isRegularFile(dir.resolve("final.mdl")) && Files.isRegularFile(dir.resolve("mfcc.conf"));
    }

    private static String modelName(Path modelDir) {
        Path name = modelDir.toAbsolutePath().normalize().getFileName();
        return name != null && name.toString().startsWith("vosk-model") ? name.toString() : DEFAULT_MODEL;
    }

    private static void setLogLevel() {
        String level = System.getProperty(LOG_LEVEL_PROPERTY, "warnings").trim().toUpperCase(Locale.ROOT);
        try {
            LibVosk.setLogLevel(LogLevel.valueOf(level));
        } catch (IllegalArgumentException e) {
            log.warn("vosk: {}={} is not one of warnings, info, debug; using warnings", LOG_LEVEL_PROPERTY, level);
            LibVosk.setLogLevel(LogLevel.WARNINGS);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new EngineUnavailableException("libvosk could not be loaded from the vosk jar (JNA unpacks it into "
                    + "jna.tmpdir, by default ~/.cache/JNA/temp, which must be writable and not mounted noexec): "
                    + e.getMessage(), e);
        }
    }
}
