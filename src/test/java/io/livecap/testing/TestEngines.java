package io.livecap.testing;

import io.livecap.asr.EngineUnavailableException;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.pocketsphinx.PocketsphinxEngine;
import io.livecap.asr.sphinx4.Sphinx4Engine;

import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Engines loaded once for the whole test run (models are big; sharing them is also what the server does). */
public final class TestEngines {

    private static SpeechEngine pocketsphinx;
    private static SpeechEngine sphinx4;

    private TestEngines() {
    }

    /** Debian's pocketsphinx; the test skips, saying how to install it, where it is missing. */
    public static synchronized SpeechEngine pocketsphinx() {
        if (pocketsphinx == null) {
            Optional<String> missing = PocketsphinxEngine.unavailableReason(PocketsphinxEngine.DEFAULT_MODEL);
            assumeTrue(missing.isEmpty(), () -> "skipped: pocketsphinx unavailable: " + missing.orElse(""));
            pocketsphinx = PocketsphinxEngine.load(PocketsphinxEngine.DEFAULT_MODEL);
        }
        return pocketsphinx;
    }

    public static synchronized SpeechEngine sphinx4() {
        if (sphinx4 == null) {
            try {
                sphinx4 = Sphinx4Engine.load();
            } catch (EngineUnavailableException e) {
                assumeTrue(false, "skipped: sphinx4 unavailable: " + e.getMessage());
            }
        }
        return sphinx4;
    }
}
