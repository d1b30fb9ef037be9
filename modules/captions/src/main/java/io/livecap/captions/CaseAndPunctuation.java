package io.livecap.captions;

import java.util.List;

/**
 * Restores what speech recognition loses: sentence case and punctuation. One per stream, on the session's thread.
 * The rule-based {@link RuleRestorer} needs no model; a model-based restorer (a punctuation and truecasing network)
 * plugs in here, taking the same words and giving the same number back.
 */
public interface CaseAndPunctuation {

    /** Words as the engine gave them, shown as they are. */
    CaseAndPunctuation NONE = (words, fin) -> words.stream().map(CaptionWord::word).toList();

    /**
     * The texts to show for {@code words} (times on any one clock), one per word, in order; a word may gain
     * punctuation or change case, never its letters.
     *
     * @param fin a whole final utterance: its end ends a sentence, and what it teaches (the speaker's pauses, whether
     *            the next utterance continues a sentence) carries on; a partial changes nothing
     */
    List<String> restore(List<CaptionWord> words, boolean fin);
}
