package io.livecap.asr.pocketsphinx;

import java.util.List;
import java.util.Locale;

/**
 * How hard pocketsphinx searches ({@code engine.pocketsphinx.profile}). The decoder arguments of each are listed
 * here, and only here, so that the benchmark can hand exactly the same ones to Debian's
 * {@code pocketsphinx_continuous} and compare the costs on equal terms (bench/README.md, "pocketsphinx cost").
 */
public enum PocketsphinxProfile {

    /** pocketsphinx's defaults: the tree search, then the flat forward pass and the lattice's best path. */
    ACCURATE(List.of()),

    /**
     * One pass: the tree search alone (no flat forward pass; the lattice is still built, for the best path and the
     * words' posteriors, which is cheap), the two best codewords of each Gaussian mixture instead of four
     * ({@code -topn 2}), and at most 2000 active HMMs and 5 distinct word exits a frame. Measured on the lecture
     * as the mean over four framing phases (bench/README.md, "Profiles"): 3.8 % WER against accurate's 4.3 %, at
     * 0.47x its CPU side by side. Skipping frames' Gaussians ({@code -ds 2}) cost 2-5 points at three phases of four,
     * and narrowing the beams to 1e-40 / 1e-24 took the WER from 3 % to 21 %.
     */
    FAST(List.of("-fwdflat", "no", "-topn", "2", "-maxhmmpf", "2000", "-maxwpf", "5"));

    private final List<String> arguments;

    PocketsphinxProfile(List<String> arguments) {
        this.arguments = arguments;
    }

    /** The decoder arguments this profile adds to the model's and the VAD's. */
    public List<String> arguments() {
        return arguments;
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code accurate} or {@code fast}, as in config/livecap.yaml. */
    public static PocketsphinxProfile parse(String name) {
        for (PocketsphinxProfile profile : values()) {
            if (profile.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return profile;
            }
        }
        throw new IllegalArgumentException("engine.pocketsphinx_profile must be accurate or fast, not " + name);
    }
}
