package io.livecap.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a sample of numbers. */
final class Percentiles {

    private final List<Double> sorted;

    Percentiles(List<? extends Number> values) {
        List<Double> copy = new ArrayList<>();
        values.forEach(v -> copy.add(v.doubleValue()));
        Collections.sort(copy);
        this.sorted = copy;
    }

    /** The smallest value with at least {@code percent} % of the sample at or below it; NaN for no sample. */
    double at(double percent) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    List<Double> sorted() {
        return List.copyOf(sorted);
    }

    int count() {
        return sorted.size();
    }

    double mean() {
        return sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
