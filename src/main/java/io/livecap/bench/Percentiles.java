package io.livecap.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Nearest-rank percentiles of a sample of numbers. */
final class Percentiles {

    private final List<Double> sorted;

    Percentiles(List<? extends Number> values) {
        List<Double> copy = new ArrayList<>();
        values.forEach(v -> copy.add(v.doubleValue()));
        Collections.sort(copy);
        this.sorted = copy;
    }

    double at(double percent) {
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(percent / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    Map<String, Object> summary() {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("count", sorted.size());
        s.put("p50", at(50));
        s.put("p95", at(95));
        s.put("max", sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() - 1));
        return s;
    }
}
