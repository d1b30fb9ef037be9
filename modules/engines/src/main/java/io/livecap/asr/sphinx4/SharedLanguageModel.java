package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.linguist.WordSequence;
import edu.cmu.sphinx.linguist.language.ngram.LanguageModel;
import edu.cmu.sphinx.util.props.PropertySheet;

import java.util.Set;

/**
 * The engine's one n-gram model, registered into every stream's sphinx4 configuration in place of a model of its own.
 * {@code NgramTrieModel} is not thread-safe (an LRU probability cache that even reads reorder, a depth field it sets
 * per lookup), so every call goes through one lock; lookups happen only at word boundaries, so streams rarely wait.
 * Allocation belongs to the engine: a stream's linguist allocating or freeing "its" model must not touch the shared one.
 */
final class SharedLanguageModel implements LanguageModel {

    private final LanguageModel model;

    SharedLanguageModel(LanguageModel model) {
        this.model = model;
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
    public synchronized float getProbability(WordSequence wordSequence) {
        return model.getProbability(wordSequence);
    }

    @Override
    public synchronized float getSmear(WordSequence wordSequence) {
        return model.getSmear(wordSequence);
    }

    @Override
    public synchronized Set<String> getVocabulary() {
        return model.getVocabulary();
    }

    @Override
    public synchronized int getMaxDepth() {
        return model.getMaxDepth();
    }

    @Override
    public synchronized void onUtteranceEnd() {
        model.onUtteranceEnd();
    }
}
