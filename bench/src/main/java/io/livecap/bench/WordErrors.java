package io.livecap.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Word error rate: word-level edit distance over the reference length, case and punctuation ignored. */
public final class WordErrors {

    private WordErrors() {
    }

    public static double rate(String reference, String hypothesis) {
        List<String> ref = words(reference);
        List<String> hyp = words(hypothesis);
        if (ref.isEmpty()) {
            return hyp.isEmpty() ? 0 : 1;
        }
        int[] previous = new int[hyp.size() + 1];
        int[] current = new int[hyp.size() + 1];
        for (int j = 0; j <= hyp.size(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= ref.size(); i++) {
            current[0] = i;
            for (int j = 1; j <= hyp.size(); j++) {
                int substitution = previous[j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j] + 1, current[j - 1] + 1));
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return (double) previous[hyp.size()] / ref.size();
    }

    private static List<String> words(String text) {
        String clean = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9' ]", " ").trim();
        return clean.isEmpty() ? List.of() : Arrays.asList(clean.split("\\s+"));
    }
}
