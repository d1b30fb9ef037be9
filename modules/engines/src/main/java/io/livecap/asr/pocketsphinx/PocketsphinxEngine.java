package io.livecap.asr.pocketsphinx;

import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * CMU pocketsphinx 5prealpha from Debian ({@code libpocketsphinx3}) with its US English model
 * ({@code pocketsphinx-en-us}), through JNA.
 *
 * <p>How the model is shared. In 5prealpha a {@code ps_decoder_t} loads and owns its acoustic model, dictionary
 * and language model, and nothing in the public API builds a decoder from parts another one loaded. The one
 * candidate, handing a shared {@code ngram_model_t} to {@code ps_set_lm}, is unsafe across threads: the LM trie
 * memoises the last history it scored ({@code lm_trie_t.hist_cache}) while scoring. So each stream needs a whole
 * decoder, measured at about 0.8 s to load and 93 MB resident (LM trie 33 MB, lexicon tree 17 MB, dictionary
 * 15 MB). What is shared is the cost: decoders are loaded once and reused by later streams, reset to the state
 * {@code ps_init} left them in (see {@link Decoder#startStream}). {@link #load} loads the first one, so it fails
 * early on a broken model and the first stream opens at once.
 */
public final class PocketsphinxEngine implements SpeechEngine {

    public static final Path DEFAULT_MODEL = Path.of("/usr/share/pocketsphinx/model/en-us");

    static final String INSTALL = "apt-get install libpocketsphinx3 pocketsphinx-en-us";

    /** Warm decoders kept for the next streams; more would hold ~93 MB each after a burst of sessions ends. */
    private static final int MAX_IDLE_DECODERS = 2;

    private static final Logger log = LoggerFactory.getLogger(PocketsphinxEngine.class);

    private final PocketsphinxLibrary lib;
    private final List<String> decoderArguments;
    private final DecodingSlots slots;
    private final Deque<Decoder> idle = new ArrayDeque<>();
    /** ps_init is not documented as thread-safe (it sets sphinxbase globals), and it is CPU-bound anyway. */
    private final Object loading = new Object();
    private boolean closed;

    private PocketsphinxEngine(PocketsphinxLibrary lib, List<String> decoderArguments, int threads) {
        this.lib = lib;
        this.decoderArguments = decoderArguments;
        this.slots = new DecodingSlots(threads);
    }

    /** Empty when the library loads and the model is complete, else one line saying what is missing and the fix. */
    public static Optional<String> unavailableReason(Path modelRoot) {
        if (Binding.LIB == null) {
            return Optional.of("pocketsphinx library " + PocketsphinxLibrary.SONAME + " cannot be loaded ("
                    + Binding.ERROR + "); install it with: " + INSTALL);
        }
        List<String> missing = new ArrayList<>();
        for (Path file : List.of(acousticModel(modelRoot).resolve("mdef"), acousticModel(modelRoot).resolve("means"),
                acousticModel(modelRoot).resolve("variances"),
                acousticModel(modelRoot).resolve("transition_matrices"), languageModel(modelRoot),
                dictionary(modelRoot))) {
            if (!Files.isRegularFile(file)) {
                missing.add(modelRoot.relativize(file).toString());
            }
        }
        if (!Files.isRegularFile(acousticModel(modelRoot).resolve("sendump"))
                && !Files.isRegularFile(acousticModel(modelRoot).resolve("mixture_weights"))) {
            missing.add("en-us/sendump (or en-us/mixture_weights)");
        }
        if (!missing.isEmpty()) {
            return Optional.of("pocketsphinx model at " + modelRoot + " is missing " + String.join(", ", missing)
                    + "; install it with: " + INSTALL);
        }
        return Optional.empty();
    }

    /**
     * Loads the model in {@code modelRoot}, laid out as {@link #DEFAULT_MODEL}: {@code en-us/} (acoustic model),
     * {@code en-us.lm.bin}, {@code cmudict-en-us.dict}.
     *
     * @throws EngineUnavailableException when the library or model is missing or the model does not load
     */
    public static PocketsphinxEngine load(Path modelRoot) {
        return load(modelRoot, PocketsphinxProfile.ACCURATE);
    }

    /** {@link #load(Path)} with a search profile, decoding on at most one thread per core at a time. */
    public static PocketsphinxEngine load(Path modelRoot, PocketsphinxProfile profile) {
        return load(modelRoot, profile, Runtime.getRuntime().availableProcessors());
    }

    /**
     * {@link #load(Path)} with a search profile; at most {@code threads} streams decode at once, the others wait
     * their turn (see {@link DecodingSlots}).
     */
    public static PocketsphinxEngine load(Path modelRoot, PocketsphinxProfile profile, int threads) {
        Optional<String> reason = unavailableReason(modelRoot);
        if (reason.isPresent()) {
            throw new EngineUnavailableException(reason.get());
        }
        SphinxLog.install(Binding.LIB);
        PocketsphinxEngine engine = new PocketsphinxEngine(Binding.LIB, decoderArguments(modelRoot, profile),
                threads);
        try {
            engine.idle.push(engine.loadDecoder());
        } catch (PocketsphinxException e) {
            throw new EngineUnavailableException("pocketsphinx could not load the model at " + modelRoot + ": "
                    + e.getMessage(), e);
        }
        log.info("pocketsphinx: profile {}, at most {} streams decoding at once (engine.pocketsphinx_threads)",
                profile.configName(), threads);
        return engine;
    }

    @Override
    public String name() {
        return "pocketsphinx";
    }

    /**
     * Opens a stream on a warm decoder, or loads one (about 0.8 s) when none is idle. The model is US English
     * whatever the language; vocabulary hints are not used (5prealpha's {@code ps_add_word} needs a pronunciation
     * for each word).
     */
    @Override
    public RecognitionStream openStream(StreamOptions options, RecognitionListener listener) {
        Objects.requireNonNull(listener, "listener");
        String language = options.language();
        if (language != null && !language.toLowerCase(Locale.ROOT).startsWith("en")) {
            log.warn("pocketsphinx has only a US English model; stream language {} will be decoded as English",
                    language);
        }
        Decoder decoder = take();
        try {
            return new PocketsphinxStream(decoder, this::release, slots, listener);
        } catch (RuntimeException e) {
            release(decoder);
            throw e;
        }
    }

    /** The most streams that decoded at the same moment (at most {@code threads}). */
    int mostDecodingAtOnce() {
        return slots.mostAtOnce();
    }

    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(Decoder::free);
            idle.clear();
        }
    }

    private Decoder take() {
        synchronized (idle) {
            if (closed) {
                throw new IllegalStateException("pocketsphinx engine is closed");
            }
            Decoder warm = idle.poll();
            if (warm != null) {
                return warm;
            }
        }
        return loadDecoder();
    }

    /** Where a stream gives its decoder back when it closes. */
    private void release(Decoder decoder) {
        synchronized (idle) {
            if (!closed && decoder.reusable() && idle.size() < MAX_IDLE_DECODERS) {
                idle.push(decoder);
                return;
            }
        }
        decoder.free();
    }

    private Decoder loadDecoder() {
        synchronized (loading) {
            long start = System.nanoTime();
            Decoder decoder = Decoder.create(lib, decoderArguments);
            log.info("pocketsphinx decoder loaded in {} ms ({})", (System.nanoTime() - start) / 1_000_000,
                    decoderArguments.get(1));
            return decoder;
        }
    }

    /**
     * Every argument a decoder of this profile is made with, as {@code pocketsphinx_continuous} takes them too:
     * the model files, the VAD's frame counts and the profile's search settings.
     */
    public static List<String> decoderArguments(Path modelRoot, PocketsphinxProfile profile) {
        List<String> arguments = new ArrayList<>(List.of(
                "-hmm", acousticModel(modelRoot).toString(),
                "-lm", languageModel(modelRoot).toString(),
                "-dict", dictionary(modelRoot).toString(),
                "-vad_prespeech", Integer.toString(PocketsphinxStream.VAD_PRESPEECH_FRAMES),
                "-vad_startspeech", Integer.toString(PocketsphinxStream.VAD_STARTSPEECH_FRAMES),
                "-vad_postspeech", Integer.toString(PocketsphinxStream.VAD_POSTSPEECH_FRAMES)));
        arguments.addAll(profile.arguments());
        return List.copyOf(arguments);
    }

    private static Path acousticModel(Path modelRoot) {
        return modelRoot.resolve("en-us");
    }

    private static Path languageModel(Path modelRoot) {
        return modelRoot.resolve("en-us.lm.bin");
    }

    private static Path dictionary(Path modelRoot) {
        return modelRoot.resolve("cmudict-en-us.dict");
    }

    /** The native library, bound once per process; {@code LIB} is null when it cannot be loaded. */
    private static final class Binding {
        static final PocketsphinxLibrary LIB;
        static final String ERROR;

        static {
            PocketsphinxLibrary lib = null;
            String error = null;
            try {
                lib = PocketsphinxLibrary.load();
            } catch (UnsatisfiedLinkError e) {
                // JNA lists every path it tried, one per line; the first line says enough
                error = String.valueOf(e.getMessage()).lines().findFirst().orElse(e.toString());
            }
            LIB = lib;
            ERROR = error;
        }
    }
}
