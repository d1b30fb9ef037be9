package io.livecap.bench;

import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelMixer;
import io.livecap.audio.ChannelStrategy;
import io.livecap.audio.Resampler;
import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * One benchmark run: starts livecap in a process of its own, feeds {@code streams} copies of a speech file through
 * its ingest websocket in real time (one stream joining every {@code staggerMs}, as live events do), subscribes to
 * every caption stream, and meanwhile runs the same engine alone on the same audio in this process
 * ({@link EngineBaseline}). Measures caption latency, timing accuracy, WER, the server's CPU and memory from /proc,
 * its backlog from {@code GET /v1/streams}, and livecap's overhead against the engine alone.
 */
public final class LatencyBench {

    /** What to run. */
    public record Setup(String engine, String label, String engineNote, WavAudio audio, String fileName, String reference,
                        int streams, int staggerMs, int chunkMs, boolean warmUp, List<String> serverJvmOptions,
                        Path logDir, String command) {
    }

    /** A run's result and the raw latencies behind its distributions (for the CDF plot). */
    public record Measured(RunResult result, List<Long> partialMs, List<Long> finalMs, List<Long> enginePartialMs,
                           List<Long> engineFinalMs) {
    }

    /** Backlog left at the end of a stream's audio that still counts as keeping up (one caption's worth). */
    static final long MAX_END_BACKLOG_MS = 1000;
    /**
     * Latency growth that still counts as not growing: 1 s more per minute of live audio. A server short of CPU by
     * even 2 % falls 1.2 s behind per minute and keeps going; the scatter of a busy shared machine over a 60 s run
     * moves a fitted slope by a few hundred ms/min (measured), which must not count as falling behind.
     */
    static final double MAX_SLOPE_MS_PER_MINUTE = 1000;
    /**
     * How long a stream's last captions may take after its audio has all been sent. A server that needs longer has
     * fallen far behind; waiting for it would only stretch a run that is already judged (its latencies then count
     * only the captions that came, so they are a lower bound).
     */
    static final long MAX_DRAIN_MS = 60_000;
    /** The end backlog is the median of the samples over a stream's last seconds, not one unlucky sample. */
    private static final long END_WINDOW_MS = 10_000;

    /** PTS start just below the 33-bit wrap, so every run also checks the wrap is handled. */
    private static final long PTS_START = (1L << 33) - 20L * 90_000;
    private static final long TIMESCALE = 90_000;
    private static final int WARM_UP_CHUNK_MS = 10;
    private static final Logger log = LoggerFactory.getLogger(LatencyBench.class);

    private final Setup setup;
    private final SpeechEngine engineAlone;

    /** @param engineAlone the same engine as the server's, loaded in this process, for the engine-alone loop */
    public LatencyBench(Setup setup, SpeechEngine engineAlone) {
        this.setup = setup;
        this.engineAlone = engineAlone;
    }

    /** One fed stream: what its subscriber heard and when its chunks left. */
    private record StreamRun(String id, List<CaptionClient.Received> received, SendLog sent, AudioFeeder feeder,
                             long feedEndEpochMs, boolean finished) {
    }

    public Measured run() throws Exception {
        String date = LocalDate.now().toString();
        Path serverLog = setup.logDir().resolve(date + "-" + setup.label() + "-" + setup.streams() + "-server.log");
        EngineBaseline baseline = new EngineBaseline(engineAlone, enginePcm(setup.audio()), setup.chunkMs());
        List<StreamRun> runs = new ArrayList<>();
        EngineBaseline.Result alone;
        List<ServerMonitor.Sample> samples;
        ServerMonitor.Sample idle;
        long startEpochMs;
        log.info("run: {} x {} ({} s of {}, a stream every {} ms); server log {}", setup.streams(), setup.engine(),
                String.format("%.1f", setup.audio().durationSeconds()), setup.fileName(), setup.staggerMs(), serverLog);
        try (ServerProcess server = ServerProcess.start(setup.engine(), setup.serverJvmOptions(), serverLog);
             ServerMonitor monitor = new ServerMonitor(server)) {
            if (setup.warmUp()) {
                warmUp(server);
            }
            idle = monitor.sample();
            monitor.start();
            AtomicInteger threadCount = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(setup.streams() + 1, r -> {
                Thread t = new Thread(r, "bench-" + threadCount.getAndIncrement());
                t.setDaemon(true);
                return t;
            });
            try {
                long start = System.nanoTime();
                startEpochMs = System.currentTimeMillis();
                Future<EngineBaseline.Result> engineRun = pool.submit(baseline::run);
                List<Future<StreamRun>> futures = new ArrayList<>();
                for (int k = 0; k < setup.streams(); k++) {
                    long due = start + k * setup.staggerMs() * 1_000_000L;
                    String id = "b" + k;
                    futures.add(pool.submit(() -> {
                        LockSupport.parkNanos(due - System.nanoTime()); // the stream's join time
                        return feed(server, id);
                    }));
                }
                for (Future<StreamRun> f : futures) {
                    runs.add(f.get());
                }
                alone = engineRun.get();
            } finally {
                pool.shutdownNow();
            }
            monitor.close();
            monitor.sample();
            samples = monitor.samples();
        }
        return measure(date, runs, alone, idle, samples, startEpochMs);
    }

    /**
     * One stream of the whole file, as fast as the server takes it, before anything is measured: a server that has
     * been up for a while has its hot paths JIT-compiled, and a fresh JVM compiling them would be counted as
     * livecap's overhead (measured: about 1.1 s of compiler CPU in the first minute; {@code --no-warm-up} shows it).
     * In chunks of {@value #WARM_UP_CHUNK_MS} ms, so the per-message paths run ten times as often as the audio alone
     * would make them: C2 compiles a method after about 10,000 calls.
     */
    private void warmUp(ServerProcess server) throws Exception {
        long begin = System.nanoTime();
        WavAudio audio = setup.audio();
        try (CaptionClient captions = new CaptionClient(server.url("/v1/captions/warmup")).token(server.token());
             IngestClient ingest = new IngestClient(server.url("/v1/ingest/warmup")).token(server.token())) {
            captions.connect(10_000);
            ingest.connect(10_000);
            new AudioFeeder().chunkMs(WARM_UP_CHUNK_MS)
                    .feed(AudioFeeder.of(audio.samples(), audio.sampleRate(), audio.channels()), ingest);
            captions.awaitEos((long) (audio.durationSeconds() * 1000) + 180_000);
        }
        log.info("server warmed up in {} ms", (System.nanoTime() - begin) / 1_000_000);
    }

    private StreamRun feed(ServerProcess server, String id) throws Exception {
        SendLog sent = new SendLog(setup.audio().sampleRate());
        AudioFeeder feeder = new AudioFeeder().realtime(true).chunkMs(setup.chunkMs()).timescale(TIMESCALE)
                .ptsBits(33).ptsStart(PTS_START)
                .listener((first, frames, pts, at) -> sent.sent(first, frames, at));
        WavAudio audio = setup.audio();
        try (CaptionClient captions = new CaptionClient(server.url("/v1/captions/" + id)).token(server.token());
             IngestClient ingest = new IngestClient(server.url("/v1/ingest/" + id)).token(server.token())) {
            captions.connect(10_000);
            ingest.connect(10_000);
            feeder.feed(AudioFeeder.of(audio.samples(), audio.sampleRate(), audio.channels()), ingest);
            long fedAt = System.currentTimeMillis();
            boolean finished = true;
            try {
                captions.awaitEos(MAX_DRAIN_MS);
            } catch (TimeoutException e) {
                finished = false;
                log.warn("stream {}: no eos within {} s of the end of its audio; measuring what arrived", id,
                        MAX_DRAIN_MS / 1000);
            }
            return new StreamRun(id, captions.received(), sent, feeder, fedAt, finished);
        }
    }

    private Measured measure(String date, List<StreamRun> runs, EngineBaseline.Result alone,
                             ServerMonitor.Sample idle, List<ServerMonitor.Sample> samples, long startEpochMs) {
        int n = setup.streams();
        List<Long> partial = new ArrayList<>();
        List<Long> partialLastWords = new ArrayList<>();
        List<Long> finals = new ArrayList<>();
        List<double[]> partialOverTime = new ArrayList<>();
        List<double[]> finalOverTime = new ArrayList<>();
        List<Double> wers = new ArrayList<>();
        StreamLatency first = null;
        for (StreamRun run : runs) {
            List<Heard> heard = run.received().stream().filter(CaptionClient.Received::isCaption)
                    .map(Heard::of).toList();
            StreamLatency latency = new StreamLatency(heard, run.sent());
            first = first == null ? latency : first;
            for (StreamLatency.Latency l : latency.partial()) {
                partial.add(l.ms());
                if (l.lastWord()) {
                    partialLastWords.add(l.ms());
                }
                partialOverTime.add(new double[] {(run.sent().sentEpochMs(l.audioMs()) - startEpochMs) / 60_000.0,
                        l.ms()});
            }
            for (StreamLatency.Latency l : latency.finals()) {
                finals.add(l.ms());
                finalOverTime.add(new double[] {(run.sent().sentEpochMs(l.audioMs()) - startEpochMs) / 60_000.0,
                        l.ms()});
            }
            String text = String.join(" ", captions(run).stream().filter(Caption::isFinal).map(Caption::text)
                    .toList());
            wers.add(setup.reference() == null ? Double.NaN : WordErrors.rate(setup.reference(), text));
        }

        StreamLatency engineLatency = new StreamLatency(alone.heard(), alone.sent());
        List<Long> enginePartial = engineLatency.partial().stream().map(StreamLatency.Latency::ms).toList();
        List<Long> engineFinal = engineLatency.finals().stream().map(StreamLatency.Latency::ms).toList();
        String engineText = String.join(" ", alone.heard().stream().filter(Heard::isFinal)
                .flatMap(h -> h.words().stream().map(w -> w.word())).toList());
        RunResult.Baseline engine = new RunResult.Baseline(Distribution.of(enginePartial), Distribution.of(engineFinal),
                alone.cpuSeconds() / setup.audio().durationSeconds(),
                setup.reference() == null ? Double.NaN : WordErrors.rate(setup.reference(), engineText),
                round(alone.wallSeconds(), 2));
        // stream b0 started with the engine-alone loop, on the same audio at the same moment: the fair pair
        Distribution p0 = Distribution.of(first.partial().stream().map(StreamLatency.Latency::ms).toList());
        Distribution f0 = Distribution.of(first.finals().stream().map(StreamLatency.Latency::ms).toList());
        RunResult.AddedLatency added = new RunResult.AddedLatency(
                p0.p50() - engine.partialLatencyMs().p50(), p0.p95() - engine.partialLatencyMs().p95(),
                f0.p50() - engine.finalLatencyMs().p50(), f0.p95() - engine.finalLatencyMs().p95());

        ServerMonitor.Sample last = samples.get(samples.size() - 1);
        double runSeconds = (last.proc().epochMs() - idle.proc().epochMs()) / 1000.0;
        double serverCpu = last.proc().serverCpuSeconds() - idle.proc().serverCpuSeconds();
        double rssPeakMb = samples.stream().mapToLong(s -> s.proc().serverRssKb()).max().orElse(0) / 1024.0;
        double rssIdleMb = idle.proc().serverRssKb() / 1024.0;
        RunResult.Server server = new RunResult.Server(rssIdleMb, rssPeakMb, (rssPeakMb - rssIdleMb) / n, serverCpu,
                serverCpu / (n * setup.audio().durationSeconds()), serverCpu / runSeconds,
                wholeRunThreads(idle, last, serverCpu));

        long firstFeedEnd = runs.stream().mapToLong(StreamRun::feedEndEpochMs).min().orElseThrow();
        RunResult.Overhead overhead = overhead(samples, alone, firstFeedEnd);
        RunResult.Realtime realtime = realtime(runs, samples, partialOverTime, finalOverTime);

        MachineUse use = machineUse(idle, samples, startEpochMs);

        RunResult result = new RunResult(date, setup.command(), setup.engine(), setup.label(), setup.engineNote(), n,
                setup.fileName(), setup.audio().durationSeconds(), setup.staggerMs(), setup.chunkMs(),
                setup.warmUp(), use.machine(),
                Distribution.of(partial), Distribution.of(partialLastWords), Distribution.of(finals), engine, added,
                timing(runs), wers.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN), wers,
                server, overhead, realtime, use.timeline());
        return new Measured(result, partial, finals, enginePartial, engineFinal);
    }

    private static List<Caption> captions(StreamRun run) {
        return run.received().stream().filter(CaptionClient.Received::isCaption)
                .map(CaptionClient.Received::caption).toList();
    }

    /** Every caption's start_pts against the pts the feeder gave that sample, start_epoch against its send time. */
    private RunResult.Timing timing(List<StreamRun> runs) {
        int rate = setup.audio().sampleRate();
        List<Double> ptsErrorsMs = new ArrayList<>();
        List<Long> epochErrorsMs = new ArrayList<>();
        long ptsErrorTicksMax = 0;
        for (StreamRun run : runs) {
            for (Caption c : captions(run)) {
                long expected = run.feeder().ptsOf(c.startMs() * rate / 1000, rate);
                // the difference on the 33-bit circle: a caption stamped just across the wrap is not 2^33 off
                long error = Math.abs(Math.floorMod(c.startPts() - expected + (1L << 32), 1L << 33) - (1L << 32));
                ptsErrorTicksMax = Math.max(ptsErrorTicksMax, error);
                ptsErrorsMs.add(error * 1000.0 / TIMESCALE);
                epochErrorsMs.add(c.startEpoch() - run.sent().sampleEpochMs(c.startMs()));
            }
        }
        return new RunResult.Timing(Distribution.of(ptsErrorsMs), ptsErrorTicksMax, Distribution.of(epochErrorsMs),
                ptsErrorsMs.size());
    }

    /** The machine over the run, and the per-second timeline. */
    private record MachineUse(RunResult.Machine machine, List<RunResult.Point> timeline) {
    }

    private static MachineUse machineUse(ServerMonitor.Sample idle, List<ServerMonitor.Sample> samples,
                                         long startEpochMs) {
        ServerMonitor.Sample last = samples.get(samples.size() - 1);
        double runSeconds = (last.proc().epochMs() - idle.proc().epochMs()) / 1000.0;
        List<RunResult.Point> timeline = new ArrayList<>();
        double loadSum = 0;
        double othersSum = 0;
        double benchSum = 0;
        for (int i = 1; i < samples.size(); i++) {
            ProcSnapshot a = samples.get(i - 1).proc();
            ProcSnapshot b = samples.get(i).proc();
            double dt = Math.max(0.001, (b.epochMs() - a.epochMs()) / 1000.0);
            double serverCores = (b.serverCpuSeconds() - a.serverCpuSeconds()) / dt;
            double benchCores = (b.benchCpuSeconds() - a.benchCpuSeconds()) / dt;
            double others = Math.max(0, (b.machineBusySeconds() - a.machineBusySeconds()) / dt - serverCores
                    - benchCores);
            loadSum += b.load1();
            othersSum += others * dt;
            benchSum += benchCores * dt;
            timeline.add(new RunResult.Point(round((b.epochMs() - startEpochMs) / 1000.0, 1), round(serverCores, 3),
                    round(b.serverRssKb() / 1024.0, 1), samples.get(i).backlogMaxMs(), samples.get(i).liveCount(),
                    b.load1(), round(others, 3)));
        }
        RunResult.Machine machine = new RunResult.Machine(Runtime.getRuntime().availableProcessors(),
                idle.proc().load1(), last.proc().load1(), round(loadSum / Math.max(1, samples.size() - 1), 2),
                round(othersSum / runSeconds, 3), round(benchSum / runSeconds, 3));
        return new MachineUse(machine, timeline);
    }

    /**
     * Session threads end with their streams and /proc forgets them, but the process total keeps their CPU; so
     * the session share is what the process used beyond its threads that are still there.
     */
    private static Map<String, Double> wholeRunThreads(ServerMonitor.Sample idle, ServerMonitor.Sample last,
                                                       double serverCpu) {
        Map<String, Double> groups = new LinkedHashMap<>();
        double others = 0;
        for (Map.Entry<String, Double> g : last.proc().threadCpuSince(idle.proc()).entrySet()) {
            if (!g.getKey().equals("session")) {
                groups.put(g.getKey(), round(g.getValue(), 2));
                others += g.getValue();
            }
        }
        groups.put("session", round(serverCpu - others, 2));
        return groups;
    }

    private RunResult.Overhead overhead(List<ServerMonitor.Sample> samples, EngineBaseline.Result alone,
                                        long firstFeedEnd) {
        List<ServerMonitor.Sample> window = samples.stream()
                .filter(s -> s.liveCount() == setup.streams() && s.proc().epochMs() <= firstFeedEnd).toList();
        if (window.size() < 2) {
            return new RunResult.Overhead(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Map.of(), Map.of(),
                    round(alone.runQueueWaitSeconds(), 2));
        }
        ServerMonitor.Sample a = window.get(0);
        ServerMonitor.Sample b = window.get(window.size() - 1);
        double serverCpu = b.proc().serverCpuSeconds() - a.proc().serverCpuSeconds();
        double engineCpu = 0;
        for (ServerProcess.StreamState end : b.streams()) {
            long startMs = a.streams().stream().filter(s -> s.id().equals(end.id())).findFirst()
                    .map(ServerProcess.StreamState::audioMs).orElse(0L);
            engineCpu += alone.cpuSecondsAt(end.audioMs()) - alone.cpuSecondsAt(startMs);
        }
        Map<String, Double> threads = new LinkedHashMap<>();
        b.proc().threadCpuSince(a.proc()).forEach((k, v) -> threads.put(k, round(v, 2)));
        Map<String, Double> waits = new LinkedHashMap<>();
        b.proc().threadWaitSince(a.proc()).forEach((k, v) -> waits.put(k, round(v, 2)));
        double session = threads.getOrDefault("session", 0.0);
        double outside = threads.values().stream().mapToDouble(Double::doubleValue).sum() - session;
        return new RunResult.Overhead(round((b.proc().epochMs() - a.proc().epochMs()) / 1000.0, 1),
                round(serverCpu, 2), round(engineCpu, 2), round(100 * (serverCpu - engineCpu) / engineCpu, 1),
                round(100 * outside / session, 1), threads, waits, round(alone.runQueueWaitSeconds(), 2));
    }

    private RunResult.Realtime realtime(List<StreamRun> runs, List<ServerMonitor.Sample> samples,
                                        List<double[]> partialOverTime, List<double[]> finalOverTime) {
        long endBacklog = 0;
        for (StreamRun run : runs) {
            List<Long> last = samples.stream()
                    .filter(s -> s.proc().epochMs() <= run.feedEndEpochMs()
                            && s.proc().epochMs() > run.feedEndEpochMs() - END_WINDOW_MS)
                    .flatMap(s -> s.streams().stream().filter(st -> st.id().equals(run.id())))
                    .map(ServerProcess.StreamState::backlogMs).toList();
            endBacklog = Math.max(endBacklog, last.isEmpty() ? 0 : (long) new Percentiles(last).at(50));
        }
        long backlogMax = samples.stream().mapToLong(ServerMonitor.Sample::backlogMaxMs).max().orElse(0);
        double partialSlope = LinearFit.of(partialOverTime).slope();
        double finalSlope = LinearFit.of(finalOverTime).slope();
        List<String> why = new ArrayList<>();
        long unfinished = runs.stream().filter(r -> !r.finished()).count();
        if (unfinished > 0) {
            why.add(unfinished + " of " + runs.size() + " streams had no eos within " + MAX_DRAIN_MS / 1000
                    + " s of their audio's end (latencies count only the captions that came)");
        }
        if (endBacklog > MAX_END_BACKLOG_MS) {
            why.add("backlog of " + endBacklog + " ms left at the end of the audio");
        }
        if (partialSlope > MAX_SLOPE_MS_PER_MINUTE) {
            why.add(String.format("partial latency grows %.0f ms/min", partialSlope));
        }
        if (finalSlope > MAX_SLOPE_MS_PER_MINUTE) {
            why.add(String.format("final latency grows %.0f ms/min", finalSlope));
        }
        return new RunResult.Realtime(why.isEmpty(), endBacklog, backlogMax, round(partialSlope, 1),
                round(finalSlope, 1), why.isEmpty() ? "real time" : "falls behind: " + String.join("; ", why));
    }

    /** The audio as the server's chain hands it to the engine: down-mixed, 16 kHz. */
    private static short[] enginePcm(WavAudio audio) {
        short[] mono = new ChannelMixer(audio.channels(), audio.sampleRate())
                .mix(audio.samples(), audio.frames(), ChannelStrategy.SUM);
        Resampler resampler = new Resampler(audio.sampleRate(), SpeechEngine.SAMPLE_RATE);
        short[] body = resampler.process(mono, mono.length);
        short[] tail = resampler.flush();
        short[] pcm = new short[body.length + tail.length];
        System.arraycopy(body, 0, pcm, 0, body.length);
        System.arraycopy(tail, 0, pcm, body.length, tail.length);
        return pcm;
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
