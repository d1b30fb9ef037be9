package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.linguist.dictionary.Dictionary;
import edu.cmu.sphinx.linguist.dictionary.Word;
import edu.cmu.sphinx.util.props.PropertySheet;

/**
 * The engine's one pronunciation dictionary, registered into every stream's sphinx4 configuration.
 * {@code TextDictionary.getWord} fills a plain {@code HashMap} cache, so calls are serialised; streams call it while
 * building their lexical tree, not while decoding. Allocation belongs to the engine, as for {@link SharedLanguageModel}.
 */
final class SharedDictionary implements Dictionary {

    private final Dictionary dictionary;

    SharedDictionary(Dictionary dictionary) {
        this.dictionary = dictionary;
    }

    @Override
    public void newProperties(PropertySheet ps) {
    }

    @Override
    public void allocate() {
    }

    @Override
    public void deallocate() {
    }

    @Override
    public synchronized Word getWord(String text) {
        return dictionary.getWord(text);
    }

    @Override
    public synchronized Word getSentenceStartWord() {
        return dictionary.getSentenceStartWord();
    }

    @Override
    public synchronized Word getSentenceEndWord() {
        return dictionary.getSentenceEndWord();
    }

    @Override
    public synchronized Word getSilenceWord() {
        return dictionary.getSilenceWord();
    }

    @Override
    public synchronized Word[] getFillerWords() {
        return dictionary.getFillerWords();
    }
}
