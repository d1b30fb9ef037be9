package io.livecap.testkit;

import io.livecap.bench.WordErrors;

/** Word error rate for tests; the benchmark's definition, so tests and bench/ report the same number. */
public final class WordErrorRate {

    private WordErrorRate() {
    }

    public static double of(String reference, String hypothesis) {
        return WordErrors.rate(reference, hypothesis);
    }
}
