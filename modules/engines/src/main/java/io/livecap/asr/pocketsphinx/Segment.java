package io.livecap.asr.pocketsphinx;

/**
 * One entry of pocketsphinx's segment iterator, as the library gives it.
 *
 * @param word       the dictionary entry: {@code word}, {@code word(2)} for an alternate pronunciation, or a filler
 * @param startFrame first 10 ms frame, counted from the stream's start as pocketsphinx counts it
 * @param endFrame   last frame, inclusive
 * @param posterior  P(word | audio) from the final lattice; meaningless on a partial
 */
record Segment(String word, int startFrame, int endFrame, double posterior) {

    /** {@code <s>}, {@code </s>}, {@code <sil>}, {@code [NOISE]}, {@code [SPEECH]}, {@code ++NOISE++}... */
    boolean isFiller() {
        return word.startsWith("<") || word.startsWith("[") || word.startsWith("++");
    }

    /** The word without its pronunciation variant: {@code to(2)} is {@code to}. */
    String baseWord() {
        int variant = word.indexOf('(');
        return variant > 0 && word.endsWith(")") ? word.substring(0, variant) : word;
    }
}
