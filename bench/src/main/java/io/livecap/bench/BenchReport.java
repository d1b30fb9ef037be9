package io.livecap.bench;

import java.util.List;
import java.util.Locale;

/** The Markdown a person reads: one run against the targets, a sweep as a table, a before/after comparison. */
public final class BenchReport {

    /** The targets (measured and reported, never asserted). */
    static final double PARTIAL_P95_TARGET_MS = 500;
    static final double FINAL_P95_TARGET_MS = 1000;
    static final int STREAMS_TARGET = 12;
    static final double OVERHEAD_TARGET_PERCENT = 5;
    static final double PTS_ERROR_TARGET_MS = 1;

    private BenchReport() {
    }

    public static String run(RunResult r) {
        StringBuilder md = new StringBuilder();
        md.append(f("# %s, %d stream%s (%s)%n%n", r.label(), r.streams(), r.streams() == 1 ? "" : "s", r.date()));
        md.append(f("`%s`%n%n", r.command()));
        if (r.engineNote() != null && !r.engineNote().isBlank()) {
            md.append("**Note:** ").append(r.engineNote()).append("\n\n");
        }
        md.append(f("Audio: %s, %.1f s per stream, %d ms chunks, a stream joining every %d ms; %s. ", r.file(),
                r.audioSeconds(), r.chunkMs(), r.staggerMs(), r.serverWarmedUp()
                        ? "the server warmed up first with one unpaced stream of the file"
                        : "a cold server (JIT compilation counted)"));
        md.append(machine(r)).append("\n\n");
        md.append("| measure | livecap | engine alone | target |\n| --- | --- | --- | --- |\n");
        md.append(f("| partial latency p50 / p95 / max (ms) | %s | %s | %s |%n", latency(r.partialLatencyMs()),
                latency(r.engineAlone().partialLatencyMs()),
                r.streams() == 1 ? target(r.partialLatencyMs().p95() <= PARTIAL_P95_TARGET_MS, "p95 <= 500") : ""));
        md.append(f("| of which utterances' last words: p50 / p95 / max (ms), %d words | %s | | |%n",
                r.partialLatencyLastWordsMs().count(), latency(r.partialLatencyLastWordsMs())));
        md.append(f("| final latency p50 / p95 / max (ms) | %s | %s | %s |%n", latency(r.finalLatencyMs()),
                latency(r.engineAlone().finalLatencyMs()),
                r.streams() == 1 ? target(r.finalLatencyMs().p95() <= FINAL_P95_TARGET_MS, "p95 <= 1000") : ""));
        md.append(f("| latency added by livecap, stream b0 vs engine alone: partial p50 / p95, final p50 / p95 (ms)"
                        + " | %+.0f / %+.0f, %+.0f / %+.0f | | |%n", r.addedLatencyMs().partialP50(),
                r.addedLatencyMs().partialP95(), r.addedLatencyMs().finalP50(), r.addedLatencyMs().finalP95()));
        md.append(f("| WER of the finals | %.1f %% | %.1f %% | |%n", 100 * r.wer(), 100 * r.engineAlone().wer()));
        md.append(f("| CPU per second of audio per stream (RTF) | %.3f (whole run, decoder loads included) | %.3f | |%n",
                r.server().cpuRtfPerStream(), r.engineAlone().cpuRtf()));
        md.append(f("| livecap overhead: CPU beyond the engine's, %s s with all streams live | %s | | %s |%n",
                r.overhead().windowSeconds(), Double.isNaN(r.overhead().overheadPercent())
                        ? "n/a (no window with every stream live)"
                        : f("%+.1f %% (%.2f s server vs %.2f s engine alone); threads outside the streams' %+.1f %%",
                        r.overhead().overheadPercent(), r.overhead().serverCpuSeconds(),
                        r.overhead().engineCpuSeconds(), r.overhead().outsideStreamThreadsPercent()),
                Double.isNaN(r.overhead().overheadPercent()) ? "" : target(r.overhead().overheadPercent() <= OVERHEAD_TARGET_PERCENT,
                        "<= 5 %")));
        md.append(f("| `start_pts` error: max (ms, ticks of 90 kHz), %d captions | %.3f ms, %d ticks | | %s |%n",
                r.timing().captionsChecked(), r.timing().startPtsErrorMs().max(), r.timing().startPtsErrorTicksMax(),
                target(r.timing().startPtsErrorMs().max() <= PTS_ERROR_TARGET_MS, "<= 1 ms")));
        md.append(f("| `start_epoch` minus send time: p50 / p95 / max (ms) | %s | | |%n",
                latency(r.timing().startEpochErrorMs())));
        md.append(f("| server resident memory: before streams / peak / per stream (MB) | %.0f / %.0f / %.0f | | |%n",
                r.server().rssIdleMb(), r.server().rssPeakMb(), r.server().rssPerStreamMb()));
        md.append(f("| server CPU, whole run (cores) | %.2f | | |%n", r.server().cpuCoresMean()));
        md.append(f("| real time | %s (end backlog %d ms, backlog max %d ms; latency slope partial %.0f, final %.0f"
                        + " ms/min) | | |%n", r.realtime().verdict(), r.realtime().endBacklogMsMax(),
                r.realtime().backlogMsMax(), r.realtime().partialSlopeMsPerMinute(),
                r.realtime().finalSlopeMsPerMinute()));
        md.append("\nServer CPU by thread group (s): whole run ").append(r.server().threadCpuSeconds())
                .append("; in the all-live window ").append(r.overhead().threadCpuSeconds())
                .append(". Time ready to run but waiting for a CPU in that window (s): ")
                .append(r.overhead().threadRunQueueWaitSeconds()).append("; the engine-alone thread over its audio: ")
                .append(r.overhead().engineAloneRunQueueWaitSeconds()).append(".\n");
        return md.toString();
    }

    /** One row per N of a sweep, then the memory slope and the largest real-time N. */
    public static String sweep(List<RunResult> runs, String command) {
        RunResult first = runs.get(0);
        StringBuilder md = new StringBuilder();
        md.append(f("# %s scaling (%s)%n%n`%s`%n%n", first.label(), first.date(), command));
        md.append("| N | real time | partial p50 / p95 (ms) | final p50 / p95 (ms) | WER | server CPU (cores) "
                + "| CPU/stream (RTF) | engine alone RTF | overhead vs engine alone / outside stream threads | RSS peak (MB) | MB/stream | end backlog (ms) "
                + "| final latency slope (ms/min) | load avg | others' CPU (cores) |\n");
        md.append("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
        for (RunResult r : runs) {
            md.append(f("| %d | %s | %.0f / %.0f | %.0f / %.0f | %.1f %% | %.2f | %.3f | %.3f | %s | %.0f | %.0f | %d "
                            + "| %.0f | %.1f | %.2f |%n", r.streams(), r.realtime().ok() ? "yes" : "**no**",
                    r.partialLatencyMs().p50(), r.partialLatencyMs().p95(), r.finalLatencyMs().p50(),
                    r.finalLatencyMs().p95(), 100 * r.wer(), r.server().cpuCoresMean(), r.server().cpuRtfPerStream(),
                    r.engineAlone().cpuRtf(), Double.isNaN(r.overhead().overheadPercent()) ? "n/a"
                            : f("%+.1f %% / %+.1f %%", r.overhead().overheadPercent(),
                            r.overhead().outsideStreamThreadsPercent()),
                    r.server().rssPeakMb(), r.server().rssPerStreamMb(), r.realtime().endBacklogMsMax(),
                    r.realtime().finalSlopeMsPerMinute(), r.machine().load1Mean(), r.machine().othersCpuCoresMean()));
        }
        List<double[]> rss = runs.stream().map(r -> new double[] {r.streams(), r.server().rssPeakMb()}).toList();
        int largest = runs.stream().filter(r -> r.realtime().ok()).mapToInt(RunResult::streams).max().orElse(0);
        md.append(f("%nMemory per added stream (least-squares slope of peak RSS against N): %.0f MB.%n",
                LinearFit.of(rss).slope()));
        md.append(f("Largest N that stayed real time: %d (target %d: %s).%n", largest, STREAMS_TARGET,
                largest >= STREAMS_TARGET ? "met" : "**not met**"));
        for (RunResult r : runs) {
            if (!r.realtime().ok()) {
                md.append(f("- N = %d: %s%n", r.streams(), r.realtime().verdict()));
            }
        }
        return md.toString();
    }

    /** Before and after: a quick run against the previous one. */
    public static String compare(RunResult before, RunResult after) {
        StringBuilder md = new StringBuilder();
        md.append(f("%nAgainst the previous quick run (%s, load %.1f; now load %.1f):%n%n", before.date(),
                before.machine().load1Mean(), after.machine().load1Mean()));
        md.append("| measure | before | after | change |\n| --- | --- | --- | --- |\n");
        row(md, "partial latency p95 (ms)", before.partialLatencyMs().p95(), after.partialLatencyMs().p95(), "%.0f");
        row(md, "final latency p95 (ms)", before.finalLatencyMs().p95(), after.finalLatencyMs().p95(), "%.0f");
        row(md, "latency added, partial p50 (ms)", before.addedLatencyMs().partialP50(),
                after.addedLatencyMs().partialP50(), "%.0f");
        row(md, "WER (%)", 100 * before.wer(), 100 * after.wer(), "%.1f");
        row(md, "server CPU RTF per stream", before.server().cpuRtfPerStream(), after.server().cpuRtfPerStream(),
                "%.3f");
        row(md, "engine alone RTF", before.engineAlone().cpuRtf(), after.engineAlone().cpuRtf(), "%.3f");
        row(md, "overhead (%)", before.overhead().overheadPercent(), after.overhead().overheadPercent(), "%.1f");
        row(md, "server peak RSS (MB)", before.server().rssPeakMb(), after.server().rssPeakMb(), "%.0f");
        row(md, "start_pts max error (ms)", before.timing().startPtsErrorMs().max(),
                after.timing().startPtsErrorMs().max(), "%.3f");
        return md.toString();
    }

    /** The change as a relative one, except for percentages and zeros, where only the difference means anything. */
    private static void row(StringBuilder md, String name, double before, double after, String format) {
        String change = name.contains("(%)") || before == 0 ? f("%+" + format.substring(1), after - before)
                : f("%+.1f %%", 100 * (after - before) / Math.abs(before));
        md.append(f("| %s | " + format + " | " + format + " | %s |%n", name, before, after, change));
    }

    private static String machine(RunResult r) {
        return f("Machine: %d cores, load average %.2f at start, %.2f at end, %.2f mean; other users' CPU %.2f cores"
                        + " mean; the benchmark process %.2f cores.", r.machine().cores(), r.machine().load1Start(),
                r.machine().load1End(), r.machine().load1Mean(), r.machine().othersCpuCoresMean(),
                r.machine().benchCpuCoresMean());
    }

    private static String latency(Distribution d) {
        return f("%.0f / %.0f / %.0f", d.p50(), d.p95(), d.max());
    }

    private static String target(boolean met, String what) {
        return (met ? "met (" : "**not met** (") + what + ")";
    }

    private static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
