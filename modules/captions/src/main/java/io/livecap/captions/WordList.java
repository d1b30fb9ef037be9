package io.livecap.captions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The casing of words a cased word list knows only one way: a word listed only capitalised ("Tuesday", "Chicago")
 * is a name; one listed only in capitals ("NASA") an acronym. A word also listed in lower case ("mars", "may") stays
 * as recognised. Debian's {@code wamerican} ships the list at {@value #DEBIAN}.
 */
public final class WordList {

    public static final String DEBIAN = "/usr/share/dict/american-english";
    public static final WordList EMPTY = new WordList(Map.of());

    private static final Logger log = LoggerFactory.getLogger(WordList.class);
    private static volatile WordList debian;

    private final Map<String, String> onlyCased;

    private WordList(Map<String, String> onlyCased) {
        this.onlyCased = onlyCased;
    }

    /** The list at {@code file}, one word a line (possessives "Tuesday's" are skipped: they add nothing). */
    public static WordList read(Path file) throws IOException {
        Map<String, String> cased = new HashMap<>();
        Set<String> lower = new HashSet<>();
        Set<String> ambiguous = new HashSet<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String word = line.strip();
            if (word.isEmpty() || word.endsWith("'s")) {
                continue;
            }
            String key = word.toLowerCase(Locale.ROOT);
            if (word.equals(key)) {
                lower.add(key);
            } else if (cased.containsKey(key) && !cased.get(key).equals(word)) {
                ambiguous.add(key); // "Pole" and "POLE": no one casing
            } else {
                cased.put(key, word);
            }
        }
        cased.keySet().removeAll(lower);
        cased.keySet().removeAll(ambiguous);
        return new WordList(Map.copyOf(cased));
    }

    /** Debian's list, read once; {@link #EMPTY}, logged once, when {@code wamerican} is not installed. */
    public static WordList debian() {
        WordList list = debian;
        if (list == null) {
            synchronized (WordList.class) {
                list = debian;
                if (list == null) {
                    list = load(Path.of(DEBIAN));
                    debian = list;
                }
            }
        }
        return list;
    }

    private static WordList load(Path file) {
        if (!Files.isReadable(file)) {
            log.info("no word list at {} (Debian package wamerican): captions capitalise no proper nouns", file);
            return EMPTY;
        }
        try {
            WordList list = read(file);
            log.info("proper nouns and acronyms from {}: {} words", file, list.size());
            return list;
        } catch (IOException e) {
            log.warn("cannot read the word list {}: {}; captions capitalise no proper nouns", file, e.getMessage());
            return EMPTY;
        }
    }

    /** The one casing the list gives {@code word} (any case), if it gives only one that is not lower case. */
    public Optional<String> casing(String word) {
        return Optional.ofNullable(onlyCased.get(word.toLowerCase(Locale.ROOT)));
    }

    public int size() {
        return onlyCased.size();
    }

    public boolean isEmpty() {
        return onlyCased.isEmpty();
    }
}
