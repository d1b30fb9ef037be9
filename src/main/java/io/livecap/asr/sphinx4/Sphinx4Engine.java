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
import java.util.concurrent.atomic.AtomicInteger;

/**
 * CMU Sphinx-4 in pure Java with the US English model from the sphinx4-data jar: nothing to install, weaker and
 * slower than vosk or pocketsphinx.
 *
 * <p>What is shared and what is not: the dictionary and the n-gram model (about 70 MB of heap, 2.5 s to load) are
 * loaded once and registered into every stream's sphinx4 configuration. The acoustic model cannot be shared: this
 * model's phonetically tied mixtures keep per-frame state (the top Gaussians of the last frame and a queue of scores
 * keyed by sample number) inside the loaded model itself, so two decoders on one model would corrupt each other's
 * scores. Each stream therefore loads its own acoustic model and builds its own lexical tree, about 100 MB and 3 s
 * per stream (native/sphinx4.md).
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

    private final UnitManager units;
    private final Dictionary sharedDictionary;
    private final LanguageModel sharedLanguageModel;
    private final Dictionary dictionary;
    private final LanguageModel languageModel;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile boolean closed;

    private Sphinx4Engine(UnitManager units, Dictionary dictionary, LanguageModel languageModel) {
        this.units = units;
        this.dictionary = dictionary;
        this.languageModel = languageModel;
        this.sharedDictionary = new SharedDictionary(dictionary);
        this.sharedLanguageModel = new SharedLanguageModel(languageModel);
    }

    /** Loads the dictionary and language model from the sphinx4-data jar on the classpath. */
    public static Sphinx4Engine load() {
        for (String resource : MODEL_RESOURCES) {
            if (Sphinx4Engine.class.getResource(resource) == null) {
                throw new EngineUnavailableException("sphinx4: model resource " + resource
                        + " is not on the classpath; it comes in the de.sciss:sphinx4-data:1.0.0 jar");
            }
        }
        SphinxLogBridge.install();
        long started = System.nanoTime();
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
            log.info("sphinx4: loaded the en-us dictionary and language model in {} ms (shared by all streams)",
                    (System.nanoTime() - started) / 1_000_000);
            return new Sphinx4Engine(cm.lookup("unitManager"), dictionary, languageModel);
        }
    }

    @Override
    public String name() {
        return "sphinx4";
    }

    /**
     * Loads this stream's acoustic model and builds its search (about 3 s here). {@code options} are ignored: one
     * US English model, and sphinx4's n-gram search takes no vocabulary hints.
     */
    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        if (closed) {
            throw new IllegalStateException("sphinx4 engine is closed");
        }
        String name = "sphinx4-stream-" + streams.incrementAndGet();
        long started = System.nanoTime();
        Recognizer recognizer;
        StreamDataSource source;
        synchronized (CONSTRUCTION) {
            ConfigurationManager cm = DecoderConfiguration.stream(units, sharedDictionary, sharedLanguageModel);
            recognizer = cm.lookup("recognizer");
            source = cm.lookup("dataSource");
            recognizer.allocate();
        }
        log.info("{}: sphinx4 acoustic model and search ready in {} ms", name, (System.nanoTime() - started) / 1_000_000);
        return new Sphinx4Stream(recognizer, source, listener, name);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
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
