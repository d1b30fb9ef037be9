package io.livecap.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Caption;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.audio.WavAudio;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak: N streams through hours of audio, fed faster than real time, against livecap in a process of its own.
 * Does memory stay flat? Each stream loops the file as one continuous stream (pts going on, across the 33-bit
 * wrap), and after each pass of the file stops sending until the server has released its recogniser
 * ({@code limits.recognizer_idle_seconds}), so the run also opens and frees a recogniser hundreds of times. Every
 * few seconds it records the server's RSS ({@code VmRSS}, {@code RssAnon}), the JVM's native memory (NMT, through
 * {@code jcmd}), the heap in use and the open recognisers; at the end the least-squares slope of each against the
 * hours of audio fed, the recognisers still open (must be 0) and the largest {@code start_pts} error of every
 * caption (must be 0).
 */
final class SoakBench {

    record Setup(String engine, String label, WavAudio audio, String fileName, int streams, double audioHours,
                 double speed, int idleSeconds, List<String> serverJvmOptions, Path logDir, String command) {
    }

    /** One reading of the server. */
    record Sample(double wallS, double audioHours, double rssMb, double rssAnonMb, double nmtCommittedMb,
                  double nmtOtherMb, double heapUsedMb, int recognizersOpen, long backlogMaxMs, int live) {
    }

    /** MB per hour of audio, over the whole run and after the first tenth (JIT, heap sizing, first pages). */
    record Slope(double wholeRun, double afterWarmUp) {
    }

    record Result(String date, String command, String engine, String label, int streams, double audioHours,
                  double speed, int idleSeconds, double wallMinutes, long captions, long finals,
                  long ptsErrorTicksMax, int recognizersOpenAtEnd, long recognizerReleases, int unfinishedStreams,
                  double rssStartMb, double rssEndMb, double rssPeakMb, Slope rssMbPerAudioHour,
                  Slope rssAnonMbPerAudioHour, Slope nmtCommittedMbPerAudioHour, Slope heapUsedMbPerAudioHour,
                  double loadAverage, List<Sample> samples) {
    }

    private static final long PTS_START = (1L << 33) - 20L * 90_000; // crosses the 33-bit wrap at once
    private static final long TIMESCALE = 90_000;
    private static final int CHUNK_MS = 100;
    private static final long SAMPLE_MS = 5_000;
    private static final long NMT_EVERY_MS = 30_000;
    /** A stream waits while the server holds more than this of its audio: faster than real time, not a flood. */
    private static final long MAX_BACKLOG_MS = 1_500;
    private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
    private static final Pattern NMT_OTHER = Pattern.compile("-\\s+Other \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    private static final Logger log = LoggerFactory.getLogger(SoakBench.class);

    private final Setup setup;
    private final Map<String, ServerProcess.StreamState> lastSeen = new ConcurrentHashMap<>();
    /** Per stream, whether the server holds its recogniser, as last seen with nothing of its audio waiting. */
    private final Map<String, Boolean> recognizerOpen = new ConcurrentHashMap<>();
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final AtomicLong framesFed = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();
    private volatile double nmtCommittedMb = Double.NaN;
    private volatile double nmtOtherMb = Double.NaN;
    private volatile double heapUsedMb = Double.NaN;

    SoakBench(Setup setup) {
        this.setup = setup;
    }

    /** One fed stream's outcome. */
    private record Fed(long captions, long finals, long ptsErrorTicksMax, boolean finished) {
    }

    Result run() throws Exception {
        String date = java.time.LocalDate.now().toString();
        Path serverLog = setup.logDir().resolve(date + "-soak-" + setup.label() + "-server.log");
        List<String> jvm = new ArrayList<>(setup.serverJvmOptions());
        jvm.add("-XX:NativeMemoryTracking=summary");
        log.info("soak: {} streams x {} h of audio in all, {}x real time, recogniser idle {} s; server log {}",
                setup.streams(), setup.audioHours(), setup.speed(), setup.idleSeconds(), serverLog);
        long begin = System.nanoTime();
        List<Fed> fed = new ArrayList<>();
        int openAtEnd;
        try (ServerProcess server = ServerProcess.start(setup.engine(), jvm, serverLog,
                Map.of("LIVECAP_LIMITS_RECOGNIZER_IDLE_SECONDS", String.valueOf(setup.idleSeconds())))) {
            long fedFrom = System.nanoTime(); // samples count from here, not from the server's start
            Thread monitor = new Thread(() -> monitor(server, fedFrom), "soak-monitor");
            monitor.setDaemon(true);
            sample(server, fedFrom, true);
            monitor.start();
            ExecutorService pool = Executors.newFixedThreadPool(setup.streams());
            try {
                List<Future<Fed>> futures = new ArrayList<>();
                for (int k = 0; k < setup.streams(); k++) {
                    String id = "soak" + k;
                    futures.add(pool.submit(() -> feed(server, id)));
                }
                for (Future<Fed> f : futures) {
                    fed.add(f.get());
                }
            } finally {
                pool.shutdownNow();
                monitor.interrupt();
                monitor.join(10_000);
            }
            awaitNoSession(server);
            sample(server, fedFrom, true);
            openAtEnd = server.health().path("recognizers_open").asInt(-1);
        }
        return result(date, begin, fed, openAtEnd);
    }

    /** Each stream's share of the hours, the file looped, pts continuous; a pause after each pass. */
    private Fed feed(ServerProcess server, String id) throws Exception {
        WavAudio audio = setup.audio();
        int rate = audio.sampleRate();
        int channels = audio.channels();
        long totalFrames = (long) (setup.audioHours() * 3600 / setup.streams() * rate);
        int framesPerChunk = rate * CHUNK_MS / 1000;
        short[] samplesOfFile = audio.samples();
        long fileFrames = audio.frames();
        long[] ptsErrorMax = {0};
        AtomicLong captions = new AtomicLong();
        AtomicLong finals = new AtomicLong();
        CaptionClient subscriber = new CaptionClient(server.url("/v1/captions/" + id), m -> {
            if (m.isCaption()) {
                Caption c = m.caption();
                captions.incrementAndGet();
                if (c.isFinal()) {
                    finals.incrementAndGet();
                }
                long expected = pts(c.startMs() * rate / 1000, rate);
                long error = Math.abs(Math.floorMod(c.startPts() - expected + (1L << 32), 1L << 33) - (1L << 32));
                synchronized (ptsErrorMax) {
                    ptsErrorMax[0] = Math.max(ptsErrorMax[0], error);
                }
            }
        }).token(server.token());
        boolean finished;
        try (CaptionClient captionsClient = subscriber;
             IngestClient ingest = new IngestClient(server.url("/v1/ingest/" + id)).token(server.token())) {
            captionsClient.connect(10_000);
            ingest.connect(10_000);
            ingest.start(Map.of("type", "start", "codec", "pcm_s16le", "sample_rate", rate, "channels", channels,
                    "timescale", TIMESCALE, "pts_bits", 33, "language", "en-US"), 10_000);
            byte[] buffer = new byte[framesPerChunk * channels * 2];
            long frame = 0;
            long chunkNanos = (long) (CHUNK_MS * 1_000_000L / setup.speed());
            long due = System.nanoTime();
            while (frame < totalFrames) {
                long inFile = frame % fileFrames;
                int frames = (int) Math.min(framesPerChunk, Math.min(fileFrames - inFile, totalFrames - frame));
                for (int i = 0; i < frames * channels; i++) {
                    short s = samplesOfFile[(int) (inFile * channels) + i];
                    buffer[2 * i] = (byte) s;
                    buffer[2 * i + 1] = (byte) (s >> 8);
                }
                LockSupport.parkNanos(due - System.nanoTime()); // the pace: speed x real time
                awaitBacklogBelow(id);
                ingest.sendChunk(pts(frame, rate), buffer, frames * channels * 2);
                frame += frames;
                framesFed.addAndGet(frames);
                due = Math.max(due + chunkNanos, System.nanoTime() - chunkNanos);
                if (frame % fileFrames == 0 && frame < totalFrames) {
                    awaitRecognizerReleased(id); // a stalled source: the server frees the recogniser meanwhile
                    releases.incrementAndGet();
                    due = System.nanoTime();
                }
            }
            ingest.eos();
            finished = true;
            try {
                captionsClient.awaitEos(120_000);
            } catch (java.util.concurrent.TimeoutException e) {
                finished = false;
                log.warn("soak: {} had no eos within 120 s of its end", id);
            }
        }
        synchronized (ptsErrorMax) {
            return new Fed(captions.get(), finals.get(), ptsErrorMax[0], finished);
        }
    }

    private static long pts(long frame, int rate) {
        return Math.floorMod(PTS_START + Math.floorDiv(frame * TIMESCALE, rate), 1L << 33);
    }

    /** Back-pressure as an encoder feels it: the monitor's view of this stream's backlog, every 5 s or sooner. */
    private void awaitBacklogBelow(String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (lastSeen.containsKey(id) && lastSeen.get(id).backlogMs() > MAX_BACKLOG_MS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + ": backlog above " + MAX_BACKLOG_MS + " ms for 120 s");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // polling a condition with a deadline
        }
    }

    /** Waits until the server shows this stream without a recogniser (the idle release), at most idle + 60 s. */
    private void awaitRecognizerReleased(String id) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(setup.idleSeconds() + 60L);
        while (true) {
            Boolean open = recognizerOpen.get(id);
            if (open != null && !open) {
                recognizerOpen.remove(id);
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(id + ": recogniser not released within " + setup.idleSeconds()
                        + " s + 60 s of quiet");
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // polling a condition with a deadline
        }
    }

    private void monitor(ServerProcess server, long begin) {
        long next = System.nanoTime();
        long lastNmt = 0;
        while (!Thread.currentThread().isInterrupted()) {
            next += TimeUnit.MILLISECONDS.toNanos(250);
            LockSupport.parkNanos(next - System.nanoTime()); // a fixed clock: streams and recognisers 4x a second
            try {
                JsonNode streams = server.streamsJson();
                for (JsonNode s : streams.path("streams")) {
                    String id = s.path("stream_id").asText();
                    lastSeen.put(id, new ServerProcess.StreamState(id, s.path("state").asText(),
                            s.path("audio_ms").asLong(), s.path("backlog_ms").asLong()));
                    if (s.path("backlog_ms").asLong() == 0) {
                        recognizerOpen.put(id, s.path("recognizer_open").asBoolean(true));
                    } else {
                        recognizerOpen.remove(id);
                    }
                }
                long now = System.nanoTime();
                boolean nmt = now - lastNmt > TimeUnit.MILLISECONDS.toNanos(NMT_EVERY_MS);
                if (samples.isEmpty() || now - begin - (long) (samples.get(samples.size() - 1).wallS() * 1e9)
                        >= TimeUnit.MILLISECONDS.toNanos(SAMPLE_MS)) {
                    sample(server, begin, nmt);
                    if (nmt) {
                        lastNmt = now;
                    }
                }
            } catch (IOException | RuntimeException e) {
                log.warn("soak monitor: {}", e.toString());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void sample(ServerProcess server, long begin, boolean nmt) throws IOException, InterruptedException {
        if (nmt) {
            String summary = jcmd(server.pid(), "VM.native_memory", "summary");
            Matcher total = NMT_TOTAL.matcher(summary);
            Matcher other = NMT_OTHER.matcher(summary);
            nmtCommittedMb = total.find() ? Long.parseLong(total.group(2)) / 1024.0 : Double.NaN;
            nmtOtherMb = other.find() ? Long.parseLong(other.group(2)) / 1024.0 : Double.NaN;
            Matcher used = HEAP_USED.matcher(jcmd(server.pid(), "GC.heap_info"));
            heapUsedMb = used.find() ? Long.parseLong(used.group(1)) / 1024.0 : Double.NaN;
        }
        String status = Files.readString(Path.of("/proc", Long.toString(server.pid()), "status"));
        JsonNode health = server.health();
        long backlogMax = lastSeen.values().stream().mapToLong(ServerProcess.StreamState::backlogMs).max().orElse(0);
        samples.add(new Sample(round((System.nanoTime() - begin) / 1e9, 1),
                round(framesFed.get() / (double) setup.audio().sampleRate() / 3600, 4),
                round(kb(status, "VmRSS:") / 1024.0, 1), round(kb(status, "RssAnon:") / 1024.0, 1),
                round(nmtCommittedMb, 1), round(nmtOtherMb, 1), round(heapUsedMb, 1),
                health.path("recognizers_open").asInt(-1), backlogMax, health.path("streams").asInt(-1)));
    }

    private static long kb(String status, String field) {
        for (String line : status.split("\n")) {
            if (line.startsWith(field)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** {@code jcmd PID COMMAND...}: cheap next to a second of audio, so every 30 s. */
    private static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd")
                .toString(), Long.toString(pid)));
        args.addAll(List.of(command));
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(out, StandardCharsets.UTF_8);
    }

    private void awaitNoSession(ServerProcess server) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (server.health().path("streams").asInt(-1) != 0 && System.nanoTime() < deadline) {
            Thread.sleep(200); // polling a condition with a deadline
        }
    }

    private Result result(String date, long begin, List<Fed> fed, int openAtEnd) {
        List<Sample> all = List.copyOf(samples);
        double warmUp = all.get(all.size() - 1).audioHours() / 10;
        List<Sample> steady = all.stream().filter(s -> s.audioHours() >= warmUp).toList();
        double load;
        try {
            load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[2]);
        } catch (IOException e) {
            load = Double.NaN;
        }
        return new Result(date, setup.command(), setup.engine(), setup.label(), setup.streams(), setup.audioHours(),
                setup.speed(), setup.idleSeconds(), round((System.nanoTime() - begin) / 6e10, 1), // with the start
                fed.stream().mapToLong(Fed::captions).sum(), fed.stream().mapToLong(Fed::finals).sum(),
                fed.stream().mapToLong(Fed::ptsErrorTicksMax).max().orElse(-1), openAtEnd, releases.get(),
                (int) fed.stream().filter(f -> !f.finished()).count(),
                all.get(0).rssMb(), all.get(all.size() - 1).rssMb(),
                all.stream().mapToDouble(Sample::rssMb).max().orElse(Double.NaN),
                slope(all, steady, Sample::rssMb), slope(all, steady, Sample::rssAnonMb),
                slope(all, steady, Sample::nmtCommittedMb), slope(all, steady, Sample::heapUsedMb), load, all);
    }

    private static Slope slope(List<Sample> all, List<Sample> steady, java.util.function.ToDoubleFunction<Sample> y) {
        return new Slope(round(fit(all, y), 2), round(fit(steady, y), 2));
    }

    private static double fit(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> y) {
        return LinearFit.of(samples.stream().filter(s -> !Double.isNaN(y.applyAsDouble(s)))
                .map(s -> new double[] {s.audioHours(), y.applyAsDouble(s)}).toList()).slope();
    }

    /** The Markdown summary (also printed). */
    static String report(Result r) {
        StringBuilder md = new StringBuilder();
        md.append("# soak ").append(r.label()).append(", ").append(r.date()).append("\n\n`").append(r.command())
                .append("`\n\n");
        md.append(String.format("%d streams, %.2f h of audio in all (%.1f min each), fed at up to %.0fx real time;"
                        + " %.1f min of wall time; load average (15 min) %.2f at the end.%n%n", r.streams(),
                r.audioHours(), r.audioHours() * 60 / r.streams(), r.speed(), r.wallMinutes(), r.loadAverage()));
        md.append("| measure | value |\n| --- | --- |\n");
        md.append(String.format("| `start_pts` error, every caption (%d, %d finals) | max %d ticks |%n", r.captions(),
                r.finals(), r.ptsErrorTicksMax()));
        md.append(String.format("| recognisers open at the end | %d |%n", r.recognizersOpenAtEnd()));
        md.append(String.format("| idle releases and reopenings (quiet %d s after each pass of the file) | %d |%n",
                r.idleSeconds(), r.recognizerReleases()));
        md.append(String.format("| streams without their eos | %d |%n", r.unfinishedStreams()));
        md.append(String.format("| RSS start / end / peak | %.0f / %.0f / %.0f MB |%n", r.rssStartMb(), r.rssEndMb(),
                r.rssPeakMb()));
        md.append("| slope, MB per hour of audio: whole run / after the first tenth | |\n");
        md.append(String.format("| - RSS (`VmRSS`) | %+.2f / %+.2f |%n", r.rssMbPerAudioHour().wholeRun(),
                r.rssMbPerAudioHour().afterWarmUp()));
        md.append(String.format("| - anonymous RSS (`RssAnon`: heap, native libraries' malloc) | %+.2f / %+.2f |%n",
                r.rssAnonMbPerAudioHour().wholeRun(), r.rssAnonMbPerAudioHour().afterWarmUp()));
        md.append(String.format("| - JVM native memory committed (NMT total, incl. direct buffers) | %+.2f / %+.2f |%n",
                r.nmtCommittedMbPerAudioHour().wholeRun(), r.nmtCommittedMbPerAudioHour().afterWarmUp()));
        md.append(String.format("| - heap in use (`GC.heap_info`) | %+.2f / %+.2f |%n",
                r.heapUsedMbPerAudioHour().wholeRun(), r.heapUsedMbPerAudioHour().afterWarmUp()));
        md.append("\n| wall s | audio h | RSS MB | RssAnon MB | NMT committed MB | NMT other MB | heap used MB |"
                + " recognisers open | backlog max ms | streams |\n| --- | --- | --- | --- | --- | --- | --- | --- |"
                + " --- | --- |\n");
        List<Sample> s = r.samples();
        int step = Math.max(1, s.size() / 12);
        for (int i = 0; i < s.size(); i += step) {
            row(md, s.get(i));
        }
        if ((s.size() - 1) % step != 0) {
            row(md, s.get(s.size() - 1));
        }
        return md.toString();
    }

    private static void row(StringBuilder md, Sample x) {
        md.append(String.format("| %.0f | %.3f | %.0f | %.0f | %.0f | %.1f | %.0f | %d | %d | %d |%n", x.wallS(),
                x.audioHours(), x.rssMb(), x.rssAnonMb(), x.nmtCommittedMb(), x.nmtOtherMb(), x.heapUsedMb(),
                x.recognizersOpen(), x.backlogMaxMs(), x.live()));
    }

    private static double round(double value, int decimals) {
        return Double.isNaN(value) ? value : LatencyBench.round(value, decimals);
    }
}
