package io.livecap.bench;

import java.util.List;
import java.util.Map;

/**
 * One benchmark run (one engine, N concurrent streams), as written to {@code bench/results/<date>-<engine>-<n>.json}.
 * {@code partialLatencyLastWordsMs} is the part of {@code partialLatencyMs} that is each utterance's last word.
 * Latencies and times in ms, CPU in seconds or cores (CPU seconds per wall second), memory in MB. {@code label} names
 * the setup in file names and headings: the engine's name unless a run says more (e.g. {@code vosk-tones}).
 */
public record RunResult(
        String date,
        String command,
        String engine,
        String label,
        String engineNote,
        int streams,
        String file,
        double audioSeconds,
        int staggerMs,
        int chunkMs,
        boolean serverWarmedUp,
        Machine machine,
        Distribution partialLatencyMs,
        Distribution partialLatencyLastWordsMs,
        Distribution finalLatencyMs,
        Baseline engineAlone,
        AddedLatency addedLatencyMs,
        Timing timing,
        double wer,
        List<Double> werPerStream,
        Server server,
        Overhead overhead,
        Realtime realtime,
        List<Point> timeline) {

    /** The machine while the run ran: others' use of it is what makes a shared machine noisy. */
    public record Machine(int cores, double load1Start, double load1End, double load1Mean,
                          double othersCpuCoresMean, double benchCpuCoresMean) {
    }

    /** The engine on its own in the benchmark process, on the same audio at the same time. */
    public record Baseline(Distribution partialLatencyMs, Distribution finalLatencyMs, double cpuRtf, double wer,
                           double wallSeconds) {
    }

    /** What livecap adds to the engine's own latency: livecap's percentile minus the engine-alone percentile. */
    public record AddedLatency(double partialP50, double partialP95, double finalP50, double finalP95) {
    }

    /** Caption stamps against what was sent: pts exactly, epoch against the chunk's send time. */
    public record Timing(Distribution startPtsErrorMs, long startPtsErrorTicksMax, Distribution startEpochErrorMs,
                         int captionsChecked) {
    }

    /**
     * The server process.
     *
     * @param cpuRtfPerStream CPU seconds per second of audio per stream, over the whole run (decoder loads included)
     * @param rssPerStreamMb  (peak resident - resident before the first stream) / streams
     * @param threadCpuSeconds the whole run's CPU by thread group (session, netty, gc, jit, other)
     */
    public record Server(double rssIdleMb, double rssPeakMb, double rssPerStreamMb, double cpuSeconds,
                         double cpuRtfPerStream, double cpuCoresMean, Map<String, Double> threadCpuSeconds) {
    }

    /**
     * livecap's CPU beyond the engine's, over the window in which every stream was live (decoders loaded) and
     * none had ended. {@code engineCpuSeconds} is what the engine alone spent on the same stretches of audio
     * (each stream's {@code audio_ms} at the window's ends, looked up in the engine-alone CPU curve).
     * {@code outsideStreamThreadsPercent} is the CPU of every thread but the streams' own (Netty, JIT, GC, the
     * rest) over theirs: the same overhead measured inside one process, free of the scatter between two threads'
     * CPU times for the same work (up to 10-15 % on this shared machine); it leaves out livecap's chain inside the
     * stream threads, which the vosk-tones runs show is small.
     * The run-queue waits are how long threads were ready but had no CPU (the server's by thread group, and the
     * engine-alone thread's over the whole audio): the share of latency a busy machine causes.
     */
    public record Overhead(double windowSeconds, double serverCpuSeconds, double engineCpuSeconds,
                           double overheadPercent, double outsideStreamThreadsPercent,
                           Map<String, Double> threadCpuSeconds,
                           Map<String, Double> threadRunQueueWaitSeconds, double engineAloneRunQueueWaitSeconds) {
    }

    /**
     * Whether the server kept up: no stream's backlog left at the end of its audio beyond {@code maxEndBacklogMs},
     * and latency not growing (least-squares slope over audio time) beyond {@code maxSlopeMsPerMinute}.
     */
    public record Realtime(boolean ok, long endBacklogMsMax, long backlogMsMax, double partialSlopeMsPerMinute,
                           double finalSlopeMsPerMinute, String verdict) {
    }

    /** One monitor sample: seconds since the first stream started. */
    public record Point(double t, double serverCpuCores, double rssMb, long backlogMaxMs, long liveStreams,
                        double load1, double othersCpuCores) {
    }
}
