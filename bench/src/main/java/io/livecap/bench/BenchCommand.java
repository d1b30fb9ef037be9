package io.livecap.bench;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.livecap.asr.EngineProvider;
import io.livecap.asr.EngineSelector;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;
import io.livecap.audio.WavAudio;
import io.livecap.cli.ServeCommand;
import io.livecap.cli.ToolCommand;
import io.livecap.config.LivecapConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure caption latency, timing accuracy, WER, CPU and memory.",
                "Starts livecap as a process of its own, feeds N copies of a speech file",
                "in real time through the ingest websocket, subscribes to every caption",
                "stream, and runs the engine alone on the same audio meanwhile.",
                "Writes <out>/<date>-<engine>-<n>.{json,md} and -cdf.png per run,",
                "-scaling.{md,png} per sweep. See bench/README.md; bench/run wraps this.", ""})
public final class BenchCommand implements Callable<Integer>, ToolCommand {

    /** auto's order, as the server's engine selector has it. */

    @Option(names = "--engine", defaultValue = "auto", split = ",",
            description = "Engines to measure, comma-separated; unavailable ones are skipped with the reason"
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> engines;

    @Option(names = "--file", paramLabel = "WAV", description = "16-bit WAV speech file (required unless --replot).")
    Path file;

    @Option(names = "--reference", paramLabel = "TXT",
            description = "Reference transcript for WER (default: the file's name with .txt, if there).")
    Path reference;

    @Option(names = "--streams", defaultValue = "1", split = ",", paramLabel = "N",
            description = "Concurrent streams; a list is a scaling sweep, one fresh server per N (default: ${DEFAULT-VALUE}).")
    List<Integer> streams;

    @Option(names = "--stagger-ms", defaultValue = "1000",
            description = "A new stream joins every this many ms (default: ${DEFAULT-VALUE}).")
    int staggerMs;

    @Option(names = "--chunk-ms", defaultValue = "100", description = "Audio per chunk (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--keep-going",
            description = "Run every N of a sweep; by default it stops after two N in a row fall behind.")
    boolean keepGoing;

    @Option(names = "--no-warm-up", negatable = false,
            description = "Measure a cold server: skip the unpaced warm-up stream (JIT compilation then counts).")
    boolean noWarmUp;

    @Option(names = "--out", defaultValue = "bench/results", paramLabel = "DIR",
            description = "Where results go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--compare", paramLabel = "JSON",
            description = "A previous result to compare the (first) run with: before and after a change.")
    Path compare;

    @Option(names = "--label", paramLabel = "NAME",
            description = "Name for result files and headings instead of the engine's (e.g. vosk-tones).")
    String label;

    @Option(names = "--engine-note", paramLabel = "TEXT",
            description = "A note stored with the results (e.g. which model, and what it can recognise).")
    String engineNote;

    @Option(names = "--server-jvm-option", paramLabel = "OPT",
            description = "An option for the server's JVM, e.g. -XX:StartFlightRecording=filename=x.jfr; repeatable.")
    List<String> serverJvmOptions = new ArrayList<>();

    @Option(names = "--soak-hours", paramLabel = "H",
            description = "The soak instead of the latency run: H hours of audio in all, shared by the first --streams"
                    + " N streams, each looping the file (bench/README.md, \"Soak\").")
    Double soakHours;

    @Option(names = "--soak-speed", defaultValue = "8", paramLabel = "X",
            description = "Soak: each stream fed at up to X times real time (default: ${DEFAULT-VALUE}).")
    double soakSpeed;

    @Option(names = "--soak-idle-seconds", defaultValue = "2", paramLabel = "S",
            description = "Soak: the server's limits.recognizer_idle_seconds; streams pause for it after each pass"
                    + " of the file (default: ${DEFAULT-VALUE}).")
    int soakIdleSeconds;

    @Option(names = "--replot", paramLabel = "JSON", arity = "1..*",
            description = "Only rewrite a sweep's -scaling.md and .png from its result files (in N order).")
    List<Path> replot;

    @Override
    public Integer call() throws Exception {
        if (replot != null) {
            List<RunResult> runs = new ArrayList<>();
            for (Path json : replot) {
                runs.add(mapper().readValue(json.toFile(), RunResult.class));
            }
            runs.sort(java.util.Comparator.comparingInt(RunResult::streams));
            new BenchOutput(out, mapper()).sweep(runs, runs.get(0).command().replaceFirst("--streams \\S+",
                    "--streams " + String.join(",", runs.stream().map(r -> String.valueOf(r.streams())).toList())));
            return 0;
        }
        if (file == null) {
            throw new IllegalArgumentException("give --file WAV (bench/run finds the shared lecture itself)");
        }
        LivecapConfig config = ServeCommand.load(null, null, null, null);
        EngineSettings settings = new EngineSettings(config.engine().settings());
        WavAudio audio = WavAudio.read(file);
        Path ref = reference != null ? reference
                : file.resolveSibling(file.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".txt");
        String transcript = Files.isRegularFile(ref) ? Files.readString(ref).trim() : null;
        BenchOutput output = new BenchOutput(out, mapper());
        // read before the run: a quick run on the same day writes the same file name
        RunResult before = compare == null ? null : mapper().readValue(compare.toFile(), RunResult.class);
        List<String> skipped = new ArrayList<>();
        boolean ranAny = false;
        for (String wanted : engines) {
            Optional<EngineProvider> provider = choose(wanted.trim(), settings, skipped);
            if (provider.isEmpty()) {
                continue;
            }
            String engine = provider.get().name();
            if (soakHours != null) {
                soak(engine, audio);
                ranAny = true;
                continue;
            }
            List<RunResult> sweep = new ArrayList<>();
            int behindInARow = 0;
            try (SpeechEngine alone = provider.get().load(settings)) {
                for (int n : streams) {
                    String command = command(engine, n);
                    LatencyBench.Measured measured = new LatencyBench(new LatencyBench.Setup(engine,
                            label == null ? engine : label, engineNote,
                            audio, file.getFileName().toString(), transcript, n, staggerMs, chunkMs,
                            !noWarmUp, serverJvmOptions, Path.of("target", "bench"), command), alone).run();
                    output.run(measured);
                    if (before != null && sweep.isEmpty()) {
                        System.out.println(BenchReport.compare(before, measured.result()));
                    }
                    sweep.add(measured.result());
                    ranAny = true;
                    behindInARow = measured.result().realtime().ok() ? 0 : behindInARow + 1;
                    if (behindInARow == 2 && !keepGoing) {
                        System.out.println("stopping the sweep: two N in a row fell behind (--keep-going runs all)");
                        break;
                    }
                }
            }
            if (sweep.size() > 1) {
                output.sweep(sweep, command(engine, -1));
            }
        }
        skipped.forEach(s -> System.out.println("skipped: " + s));
        return ranAny ? 0 : 1;
    }

    private void soak(String engine, WavAudio audio) throws Exception {
        String name = label == null ? engine : label;
        String command = "livecap bench --engine " + engine + " --file " + file + " --streams " + streams.get(0)
                + " --soak-hours " + soakHours + " --soak-speed " + soakSpeed + " --soak-idle-seconds "
                + soakIdleSeconds + (label == null ? "" : " --label " + label)
                + String.join("", serverJvmOptions.stream().map(o -> " --server-jvm-option " + o).toList());
        SoakBench.Result result = new SoakBench(new SoakBench.Setup(engine, name, audio,
                file.getFileName().toString(), streams.get(0), soakHours, soakSpeed, soakIdleSeconds,
                serverJvmOptions, Path.of("target", "bench"), command)).run();
        Files.createDirectories(out);
        String base = result.date() + "-soak-" + name;
        mapper().writeValue(out.resolve(base + ".json").toFile(), result);
        String md = SoakBench.report(result);
        Files.writeString(out.resolve(base + ".md"), md);
        System.out.println(md);
        System.out.println("written: " + out.resolve(base + ".json") + " (and .md)");
    }

    /** The engine to run for a name (auto: the first available, as the server picks), or why there is none. */
    private static Optional<EngineProvider> choose(String name, EngineSettings settings, List<String> skipped) {
        List<String> candidates = name.equals("auto")
                ? EngineSelector.providers().stream().map(EngineProvider::name).toList() : List.of(name);
        for (String candidate : candidates) {
            Optional<EngineProvider> provider = EngineSelector.provider(candidate);
            if (provider.isEmpty()) {
                skipped.add(candidate + ": not in this build");
                continue;
            }
            Optional<String> missing = provider.get().unavailableReason(settings);
            if (missing.isPresent()) {
                skipped.add(candidate + ": " + missing.get());
                continue;
            }
            return provider;
        }
        return Optional.empty();
    }

    private String command(String engine, int n) {
        StringBuilder c = new StringBuilder("livecap bench --engine ").append(engine).append(" --file ")
                .append(file).append(" --streams ");
        c.append(n > 0 ? Integer.toString(n) : String.join(",", streams.stream().map(String::valueOf).toList()));
        if (staggerMs != 1000) {
            c.append(" --stagger-ms ").append(staggerMs);
        }
        if (label != null) {
            c.append(" --label ").append(label);
        }
        if (noWarmUp) {
            c.append(" --no-warm-up");
        }
        if (keepGoing && n < 0) {
            c.append(" --keep-going");
        }
        if (chunkMs != 100) {
            c.append(" --chunk-ms ").append(chunkMs);
        }
        return c.toString();
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
                .enable(SerializationFeature.INDENT_OUTPUT)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    }
}
