package io.livecap.asr;

import java.util.List;

/**
 * What a session tells the engine about its stream.
 *
 * @param language   BCP-47 tag such as {@code en-US}; engines with one model ignore it
 * @param vocabulary words and phrases to favour (a REACH task's dictionary), where the engine supports hints
 */
public record StreamOptions(String language, List<String> vocabulary) {

    public StreamOptions {
        vocabulary = vocabulary == null ? List.of() : List.copyOf(vocabulary);
    }

    public static StreamOptions of(String language) {
        return new StreamOptions(language, List.of());
    }
}
