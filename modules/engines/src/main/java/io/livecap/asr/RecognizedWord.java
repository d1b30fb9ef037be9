package io.livecap.asr;

/**
 * One recognised word.
 *
 * @param word       the word as it should be shown (no engine markup such as {@code <sil>} or {@code (2)})
 * @param startMs    its first audio, in ms since the stream's first sample
 * @param endMs      its last audio, in ms since the stream's first sample
 * @param confidence 0..1, the engine's posterior or its best equivalent
 */
public record RecognizedWord(String word, long startMs, long endMs, double confidence) {
}
