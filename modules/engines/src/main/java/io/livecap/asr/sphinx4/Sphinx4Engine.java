package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.linguist.acoustic.UnitManager;
import edu.cmu.sphinx.linguist.dictionary.Dictionary;
import edu.cmu.sphinx.linguist.language.ngram.LanguageModel;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CMU Sphinx-4 in pure Java with the US English model from the sphinx4-data jar: nothing to install, weaker and
 * slower than vosk or pocketsphinx.
 *
 * <p>Shared: the dictionary, the n-gram model and the phone registry (67 MB of heap, 2 s to load), registered into
 * every stream's sphinx4 configuration. Not shared: the acoustic model. This model's phonetically tied mixtures keep
 * per-frame state inside the loaded model (the last frame's top Gaussians, a queue of scores keyed by sample number),
 * so two decoders on one model would corrupt each other's scores. Each stream therefore has a decoder of its own:
 * acoustic model, lexical tree, search, front end; about 85 MB and 3-5 s to build. So that a session does not wait
 * those seconds, the engine keeps one decoder built ahead and starts the next as a stream takes it. Decoders are not
 * reused: sphinx4's live cepstral-mean normaliser cannot be reset, and would start the next stream from the last
 * one's channel. Measurements: native/sphinx4.md.
 */
public final class Sphinx4Engine implements SpeechEngine {

    private static final Logger log = LoggerFactory.getLogger(Sphinx4Engine.class);

    /**
     * Held while a configuration is made and allocated: sphinx4 keeps static, unsynchronised registries (statistics
     * counters) that components fill as they are made, and the shared {@link UnitManager} (a plain map) gains phones
     * only then. Decoding never waits for it.
     */
    private static final Object CONSTRUCTION = new Object();

    private static final List<String> MODEL_RESOURCES = List.of(
            "/edu/cmu/sphinx/models/en-us/en-us/mdef",
            "/edu/cmu/sphinx/models/en-us/en-us/means",
            "/edu/cmu/sphinx/models/en-us/en-us/noisedict",
            "/edu/cmu/sphinx/models/en-us/cmudict-en-us.dict",
            "/edu/cmu/sphinx/models/en-us/en-us.lm.bin");

    /** One stream's recognizer, allocated, and the data source it reads. */
    private record Decoder(Recognizer recognizer, StreamDataSource source) {
    }

    private final UnitManager units;
    private final Dictionary dictionary;
    private final LanguageModel languageModel;
    private final Dictionary sharedDictionary;
    private final LanguageModel sharedLanguageModel;
    private final ExecutorService builder = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "sphinx4-decoder-builder");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicInteger streams = new AtomicInteger();
    private Future<Decoder> spare;
    private boolean closed;

    private Sphinx4Engine(UnitManager units, Dictionary dictionary, LanguageModel languageModel) {
        this.units = units;
        this.dictionary = dictionary;
        this.languageModel = languageModel;
        this.sharedDictionary = new SharedDictionary(dictionary);
        this.sharedLanguageModel = new SharedLanguageModel(languageModel);
    }

    /** Empty when the model is on the classpath; otherwise which resource is missing and where it comes from. */
    public static Optional<String> unavailableReason() {
        for (String resource : MODEL_RESOURCES) {
            if (Sphinx4Engine.class.getResource(resource) == null) {
                return Optional.of("model resource " + resource
                        + " is not on the classpath; it comes in the de.sciss:sphinx4-data:1.0.0 jar");
            }
        }
        return Optional.empty();
    }

    /** Loads the shared dictionary and language model, and builds the first stream's decoder (about 6 s). */
    public static Sphinx4Engine load() {
        unavailableReason().ifPresent(reason -> {
            throw new EngineUnavailableException("sphinx4: " + reason);
        });
        SphinxLogBridge.install();
        long started = System.nanoTime();
        Sphinx4Engine engine;
        synchronized (CONSTRUCTION) {
            ConfigurationManager cm = DecoderConfiguration.sharedModels();
            Dictionary dictionary = cm.lookup("dictionary");
            LanguageModel languageModel = cm.lookup("trieNgramModel");
            try {
                dictionary.allocate();
                languageModel.allocate();
            } catch (IOException | RuntimeException e) {
                throw new EngineUnavailableException("sphinx4: cannot load the en-us dictionary and language model: " + e, e);
            }
            engine = new Sphinx4Engine(cm.lookup("unitManager"), dictionary, languageModel);
        }
        long shared = System.nanoTime();
        try {
            engine.spare = CompletableFuture.completedFuture(engine.build());
        } catch (RuntimeException e) {
            throw new EngineUnavailableException("sphinx4: cannot build a decoder on the en-us acoustic model: " + e, e);
        }
        log.info("sphinx4: en-us dictionary and language model loaded in {} ms (shared by all streams), "
                + "first stream's decoder built in {} ms", (shared - started) / 1_000_000, (System.nanoTime() - shared) / 1_000_000);
        return engine;
    }

    private Decoder build() {
        synchronized (CONSTRUCTION) {
            ConfigurationManager cm = DecoderConfiguration.stream(units, sharedDictionary, sharedLanguageModel);
            Recognizer recognizer = cm.lookup("recognizer");
            StreamDataSource source = cm.lookup("dataSource");
            recognizer.allocate();
            return new Decoder(recognizer, source);
        }
    }

    @Override
    public String name() {
        return "sphinx4";
    }

    /**
     * Hands out the decoder built ahead, at once unless another stream took it moments ago, and starts building the
     * next. {@code options} are ignored: one US English model, and sphinx4's n-gram search takes no vocabulary hints.
     */
    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        Future<Decoder> next;
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("sphinx4 engine is closed");
            }
            next = spare;
            spare = builder.submit(this::build);
        }
        String name = "sphinx4-stream-" + streams.incrementAndGet();
        long started = System.nanoTime();
        Decoder decoder;
        try {
            decoder = next.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a sphinx4 decoder", e);
        } catch (ExecutionException e) {
            throw new EngineUnavailableException("sphinx4: building a decoder failed: " + e.getCause(), e.getCause());
        }
        long waitedMs = (System.nanoTime() - started) / 1_000_000;
        if (waitedMs > 100) {
            log.info("{}: waited {} ms for a sphinx4 decoder", name, waitedMs);
        }
        return new Sphinx4Stream(decoder.recognizer(), decoder.source(), listener, name);
    }

    /** Frees the shared models and stops building decoders; the spare decoder is left to the garbage collector. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            spare = null;
        }
        builder.shutdownNow();
        synchronized (CONSTRUCTION) {
            try {
                languageModel.deallocate();
            } catch (IOException e) {
                log.warn("sphinx4: freeing the language model: {}", e.toString());
            }
            dictionary.deallocate();
        }
    }
}
