package io.livecap.bench;

import java.util.List;

/** How a measured quantity spread: what a result file and the summary report of it. */
public record Distribution(int count, double p50, double p90, double p95, double p99, double max, double mean) {

    public static Distribution of(List<? extends Number> values) {
        Percentiles p = new Percentiles(values);
        return new Distribution(p.count(), p.at(50), p.at(90), p.at(95), p.at(99), p.at(100), p.mean());
    }
}
