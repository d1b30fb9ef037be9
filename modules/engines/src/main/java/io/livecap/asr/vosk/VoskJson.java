package io.livecap.asr.vosk;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.asr.RecognizedWord;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads libvosk's result JSON: {@code {"result":[{"word","start","end","conf"}],"text"}} for a final,
 * {@code {"partial","partial_result":[...]}} for a partial. Times are seconds of the recogniser's audio.
 */
final class VoskJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * libvosk prints numbers with the C library's %f, and the JVM runs with the user's locale: under de_DE or fr_FR
     * a word reads {@code "start" : 2,455827} (vosk-api issue #808). Vosk writes every number after {@code " : "},
     * so a comma between digits right there is a decimal comma; in valid JSON a comma is never followed by a digit.
     */
    private static final Pattern DECIMAL_COMMA = Pattern.compile("(:\\s*-?\\d+),(\\d)");

    private VoskJson() {
    }

    /** The timed words in {@code field} ({@code result} or {@code partial_result}), engine markup dropped. */
    static List<RecognizedWord> words(String json, String field) {
        List<RecognizedWord> words = new ArrayList<>();
        for (JsonNode w : parse(json).path(field)) {
            String word = w.path("word").asText();
            if (!isMarkup(word)) {
                words.add(new RecognizedWord(word, millis(w.path("start").asDouble()), millis(w.path("end").asDouble()),
                        Math.max(0, Math.min(1, w.path("conf").asDouble()))));
            }
        }
        return words;
    }

    /** The words of the text in {@code field} ({@code text} or {@code partial}), engine markup dropped. */
    static List<String> text(String json, String field) {
        List<String> words = new ArrayList<>();
        for (String word : parse(json).path(field).asText().trim().split("\\s+")) {
            if (!word.isEmpty() && !isMarkup(word)) {
                words.add(word);
            }
        }
        return words;
    }

    static String repairDecimalCommas(String json) {
        return DECIMAL_COMMA.matcher(json).replaceAll("$1.$2");
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(repairDecimalCommas(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("libvosk returned JSON that cannot be read: " + json, e);
        }
    }

    /** {@code [unk]}, {@code <unk>}, {@code <sil>}: the model's symbols, not words anyone said. */
    private static boolean isMarkup(String word) {
        return word.startsWith("[") && word.endsWith("]") || word.startsWith("<") && word.endsWith(">");
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }
}
