package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.linguist.acoustic.UnitManager;
import edu.cmu.sphinx.linguist.dictionary.Dictionary;
import edu.cmu.sphinx.linguist.language.ngram.LanguageModel;
import edu.cmu.sphinx.util.props.ConfigurationManager;
import edu.cmu.sphinx.util.props.ConfigurationManagerUtils;

import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * sphinx4's own {@code default.config.xml} (inside sphinx4-core) with livecap's changes, which all live here: the
 * narrowed search beams, partial results, no instrumentation, and the engine's shared dictionary and language model.
 */
final class DecoderConfiguration {

    static final String MODEL = "resource:/edu/cmu/sphinx/models/en-us/";
    static final String ACOUSTIC_MODEL = MODEL + "en-us";
    static final String DICTIONARY = MODEL + "cmudict-en-us.dict";
    static final String LANGUAGE_MODEL = MODEL + "en-us.lm.bin";

    /**
     * The search beams. sphinx4's defaults (20000, 1e-60, 200, 1e-40) decode the lecture clip at 1.5 % WER but at
     * about 2 s of CPU per second of audio here; these take about 0.3 s at 3 % WER. The word beams matter most: every
     * word-end token that survives expands into the first phones of the whole vocabulary. Narrower still buys little
     * speed for much accuracy (word beams 10 and 1e-25: 7.6 % WER; state beam 1e-40: 15 %), and
     * absoluteWordBeamWidth must stay above 2 (sphinx4 sizes the list as width / 3 and recurses forever on 0).
     * Measurements: native/sphinx4.md.
     */
    static final Map<String, String> BEAMS = Map.of(
            "absoluteBeamWidth", "2000",
            "relativeBeamWidth", "1e-50",
            "absoluteWordBeamWidth", "20",
            "relativeWordBeamWidth", "1e-30");

    /** A partial result every 10 frames, 100 ms of audio (the SPI asks for at most 300 ms between partials). */
    static final int FRAMES_PER_PARTIAL = 10;

    private static final URL DEFAULT_CONFIG = ConfigurationManager.class.getResource("/edu/cmu/sphinx/api/default.config.xml");

    private DecoderConfiguration() {
    }

    /** The configuration whose {@code unitManager}, {@code dictionary} and {@code trieNgramModel} the engine loads once. */
    static ConfigurationManager sharedModels() {
        ConfigurationManager cm = base();
        ConfigurationManagerUtils.setProperty(cm, "dictionary", "dictionaryPath", DICTIONARY);
        ConfigurationManagerUtils.setProperty(cm, "dictionary", "fillerPath", ACOUSTIC_MODEL + "/noisedict");
        ConfigurationManagerUtils.setProperty(cm, "trieNgramModel", "location", LANGUAGE_MODEL);
        return cm;
    }

    /**
     * One stream's decoder: its own front end, acoustic model and search; the engine's dictionary and n-grams, and its
     * phone registry. Trap: that registry must be shared too. It numbers the phones as it first meets them, and the
     * lexical tree indexes the acoustic model's phones by the numbers the dictionary's phones carry; with a unit
     * manager of its own the stream decodes, without an error, to nonsense.
     */
    static ConfigurationManager stream(UnitManager units, Dictionary dictionary, LanguageModel languageModel) {
        ConfigurationManager cm = base();
        BEAMS.forEach(cm::setGlobalProperty);
        ConfigurationManagerUtils.setProperty(cm, "acousticModelLoader", "location", ACOUSTIC_MODEL);
        ConfigurationManagerUtils.setProperty(cm, "dataSource", "sampleRate", "16000");
        ConfigurationManagerUtils.setProperty(cm, "lexTreeLinguist", "languageModel", "trieNgramModel");
        ConfigurationManagerUtils.setProperty(cm, "decoder", "fireNonFinalResults", "true");
        ConfigurationManagerUtils.setProperty(cm, "decoder", "featureBlockSize", String.valueOf(FRAMES_PER_PARTIAL));
        // the speed and memory trackers log every result and are of no use to a server
        cm.getPropertySheet("recognizer").setComponentList("monitors", List.of(), List.of());
        cm.removeConfigurable("unitManager");
        cm.addConfigurable(units, "unitManager");
        cm.removeConfigurable("dictionary");
        cm.addConfigurable(dictionary, "dictionary");
        cm.removeConfigurable("trieNgramModel");
        cm.addConfigurable(languageModel, "trieNgramModel");
        return cm;
    }

    private static ConfigurationManager base() {
        ConfigurationManager cm = new ConfigurationManager(DEFAULT_CONFIG);
        SphinxLogBridge.quiet();
        return cm;
    }
}
