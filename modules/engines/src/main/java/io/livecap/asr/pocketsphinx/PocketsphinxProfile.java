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
     * words' posteriors, which is cheap), Gaussians scored on every other frame ({@code -ds 2}), and at most
     * 3000 active HMMs a frame. Measured on the lecture: the beams stay as they are (narrowing them to 1e-40, 1e-24
     * took the WER from 3 % to 21 %), and fewer codewords ({@code -topn} 3 or 2) cost livecap's stream 5 points.
     */
    FAST(List.of("-fwdflat", "no", "-ds", "2", "-maxhmmpf", "3000"));

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
