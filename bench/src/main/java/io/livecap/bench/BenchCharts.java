package io.livecap.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** The benchmark's pictures: a run's latency CDF, and latency, CPU and memory against the number of streams. */
final class BenchCharts {

    private static final int WIDTH = 860;
    private static final int PANEL_HEIGHT = 330;

    private BenchCharts() {
    }

    /** livecap's partial and final latency beside the engine's own, with the targets. */
    static void latencyCdf(LatencyBench.Measured m, Path png) throws IOException {
        RunResult r = m.result();
        double top = 1200;
        for (List<Long> values : List.of(m.partialMs(), m.finalMs(), m.enginePartialMs(), m.engineFinalMs())) {
            top = Math.max(top, new Percentiles(values).at(99) * 1.1);
        }
        double bottom = 0;
        for (List<Long> values : List.of(m.partialMs(), m.enginePartialMs())) {
            bottom = Math.min(bottom, new Percentiles(values).at(0));
        }
        LineChart chart = new LineChart(String.format(Locale.ROOT,
                "%s, %d stream%s: caption latency (load average %.1f)", r.label(), r.streams(),
                r.streams() == 1 ? "" : "s", r.machine().load1Mean()),
                "ms from a word's last sample sent to the caption holding it", "fraction of words / utterances")
                .xRange(bottom, top).yRange(0, 1)
                .add(new LineChart.Series("livecap partial" + (r.streams() > 1 ? " (all)" : ""), LineChart.BLUE, false, LineChart.cdf(m.partialMs()), false))
                .add(new LineChart.Series("livecap final" + (r.streams() > 1 ? " (all)" : ""), LineChart.ORANGE, false, LineChart.cdf(m.finalMs()), false))
                .add(new LineChart.Series("engine alone partial", LineChart.BLUE, true,
                        LineChart.cdf(m.enginePartialMs()), false))
                .add(new LineChart.Series("engine alone final", LineChart.ORANGE, true,
                        LineChart.cdf(m.engineFinalMs()), false))
                .guide(new LineChart.Guide("partial p95 target", 500, true))
                .guide(new LineChart.Guide("final p95 target", 1000, true))
                .guide(new LineChart.Guide("p95", 0.95, false));
        LineChart.write(png, WIDTH, PANEL_HEIGHT + 40, List.of(chart));
    }

    /** Latency, server CPU and server memory against N, one panel each. */
    static void scaling(List<RunResult> runs, Path png) throws IOException {
        String engine = runs.get(0).label();
        int largest = runs.stream().filter(r -> r.realtime().ok()).mapToInt(RunResult::streams).max().orElse(0);
        double maxN = runs.stream().mapToInt(RunResult::streams).max().orElse(1);
        // runs that fell behind have latencies of tens of seconds: cap the axis where the targets stay readable
        double low = 0;
        double high = 2000;
        for (RunResult r : runs) {
            low = Math.min(low, r.partialLatencyMs().p50() * 1.15); // negative: a margin below
            if (r.realtime().ok()) {
                high = Math.max(high, r.finalLatencyMs().p95() * 1.15);
            }
        }
        LineChart latency = new LineChart(engine + ": caption latency against concurrent streams"
                + " (largest real-time N = " + largest + ")", "concurrent streams", "ms")
                .xRange(0, Math.max(12, maxN) + 1).yRange(low, high).offTopLabel("fell behind")
                .add(series("partial p50", LineChart.BLUE, true, runs, r -> r.partialLatencyMs().p50()))
                .add(series("partial p95", LineChart.BLUE, false, runs, r -> r.partialLatencyMs().p95()))
                .add(series("final p50", LineChart.ORANGE, true, runs, r -> r.finalLatencyMs().p50()))
                .add(series("final p95", LineChart.ORANGE, false, runs, r -> r.finalLatencyMs().p95()))
                .guide(new LineChart.Guide("partial p95 target", 500, false))
                .guide(new LineChart.Guide("final p95 target", 1000, false))
                .guide(new LineChart.Guide("target N 12", 12, true));
        int cores = runs.get(0).machine().cores();
        LineChart cpu = new LineChart(engine + ": server CPU against concurrent streams", "concurrent streams",
                "CPU cores")
                .xRange(0, Math.max(12, maxN) + 1)
                .add(series("server, whole run", LineChart.GREEN, false, runs, r -> r.server().cpuCoresMean()))
                .add(series("engine alone x N", LineChart.GREEN, true, runs,
                        r -> r.engineAlone().cpuRtf() * r.streams()))
                .add(series("other users", LineChart.GREY, false, runs, r -> r.machine().othersCpuCoresMean()))
                .guide(new LineChart.Guide(cores + " cores", cores, false))
                .guide(new LineChart.Guide("target N 12", 12, true));
        LineChart memory = new LineChart(engine + ": server resident memory against concurrent streams",
                "concurrent streams", "MB")
                .xRange(0, Math.max(12, maxN) + 1)
                .add(series("peak RSS", LineChart.RED, false, runs, r -> r.server().rssPeakMb()))
                .add(series("RSS before streams", LineChart.RED, true, runs, r -> r.server().rssIdleMb()))
                .guide(new LineChart.Guide("target N 12", 12, true));
        LineChart.write(png, WIDTH, PANEL_HEIGHT, List.of(latency, cpu, memory));
    }

    private static LineChart.Series series(String name, java.awt.Color color, boolean dashed, List<RunResult> runs,
                                           ToDoubleFunction<RunResult> y) {
        List<double[]> points = new ArrayList<>();
        for (RunResult r : runs) {
            points.add(new double[] {r.streams(), y.applyAsDouble(r)});
        }
        return new LineChart.Series(name, color, dashed, points);
    }
}
