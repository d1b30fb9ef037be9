package io.livecap.bench;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.asr.pocketsphinx.PocketsphinxEngine;
import io.livecap.asr.pocketsphinx.PocketsphinxProfile;
import io.livecap.audio.WavAudio;
import io.livecap.cli.ToolCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * pocketsphinx's cost in livecap against its own CLI, in one run: Debian's {@code pocketsphinx_continuous -infile}
 * and livecap's engine alone run side by side on the same audio with the same decoder arguments, round after round,
 * so a machine that other work slows down slows both alike and the ratio holds. CLI CPU is its user+system time from
 * {@code /usr/bin/time} minus that of a run on 0.1 s of silence (loading the model); the engine's is the CPU time
 * of the thread that feeds it (where pocketsphinx computes), unpaced, in the server's 100 ms chunks, partials on.
 */
@Command(name = "engine-cost", mixinStandardHelpOptions = true,
        description = {"pocketsphinx in livecap against pocketsphinx_continuous on the same audio and settings:",
                "CPU per audio second, their ratio, WER; with --decoders, resident memory per added decoder."})
public final class EngineCostCommand implements Callable<Integer>, ToolCommand {

    @Option(names = "--file", required = true, paramLabel = "WAV", description = "16 kHz mono 16-bit WAV.")
    Path file;

    @Option(names = "--profile", defaultValue = "accurate,fast", split = ",",
            description = "Profiles to measure (default: ${DEFAULT-VALUE}).")
    List<String> profiles;

    @Option(names = "--rounds", defaultValue = "3", description = "CLI/engine turns per profile (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--model", paramLabel = "DIR", description = "pocketsphinx model root (default: Debian's).")
    Path model = PocketsphinxEngine.DEFAULT_MODEL;

    @Option(names = "--decoders", split = ",", paramLabel = "N",
            description = "Instead: open N streams at once (each with audio), print resident memory for each N.")
    List<Integer> decoders;

    @Override
    public Integer call() throws Exception {
        short[] pcm = WavAudio.read(file).samples();
        double audioSeconds = pcm.length / (double) SpeechEngine.SAMPLE_RATE;
        Path refFile = file.resolveSibling(file.getFileName().toString().replaceFirst("\\.[^.]+$", "") + ".txt");
        String reference = Files.isRegularFile(refFile) ? Files.readString(refFile) : null;
        System.out.printf(Locale.ROOT, "audio %s: %.1f s; load average %s%n", file.getFileName(), audioSeconds,
                loadAverage());
        for (String name : profiles) {
            PocketsphinxProfile profile = PocketsphinxProfile.parse(name);
            if (decoders != null) {
                memory(profile, pcm);
                continue;
            }
            cost(profile, pcm, audioSeconds, reference);
        }
        System.out.printf(Locale.ROOT, "load average after: %s%n", loadAverage());
        return 0;
    }

    private void cost(PocketsphinxProfile profile, short[] pcm, double audioSeconds, String reference)
            throws Exception {
        List<String> arguments = PocketsphinxEngine.decoderArguments(model, profile);
        Path silence = Files.createTempFile("livecap-silence", ".wav");
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(model, profile)) {
            writeWav(silence, new short[SpeechEngine.SAMPLE_RATE / 10]);
            feed(engine, pcm); // JIT warm-up, as a server that has run a while
            List<Double> ratios = new ArrayList<>();
            double[] cliCpu = new double[rounds];
            double[] engineCpu = new double[rounds];
            String cliText = "";
            String engineText = "";
            for (int r = 0; r < rounds; r++) {
                Cli load = cli(arguments, silence).finish();
                // side by side: whatever else loads the machine meanwhile slows both alike
                Cli run = cli(arguments, file);
                Fed fed = feed(engine, pcm);
                run = run.finish();
                cliCpu[r] = run.cpuSeconds - load.cpuSeconds;
                cliText = run.text;
                engineCpu[r] = fed.cpuSeconds;
                engineText = fed.text;
                ratios.add(engineCpu[r] / cliCpu[r]);
                System.out.printf(Locale.ROOT, "%s round %d: CLI %.2f s (load %.2f s), engine %.2f s (process %.2f s),"
                                + " ratio %.3f; load average %s%n", profile.configName(), r + 1, cliCpu[r],
                        load.cpuSeconds, engineCpu[r], fed.processCpuSeconds, ratios.get(r), loadAverage());
            }
            double[] sorted = ratios.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            System.out.printf(Locale.ROOT, "%s: CLI %.3f CPU s per audio s, engine %.3f; ratio median %.3f"
                            + " (min %.3f, max %.3f); WER CLI %.1f %%, engine %.1f %%%n  arguments: %s%n",
                    profile.configName(), median(cliCpu) / audioSeconds, median(engineCpu) / audioSeconds,
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1],
                    reference == null ? Double.NaN : 100 * WordErrors.rate(reference, cliText),
                    reference == null ? Double.NaN : 100 * WordErrors.rate(reference, engineText),
                    String.join(" ", profile.arguments()));
        } finally {
            Files.deleteIfExists(silence);
        }
    }

    /** N streams open at once, each having heard 5 s of speech (a decoder is fully built once it searched). */
    private void memory(PocketsphinxProfile profile, short[] pcm) throws Exception {
        short[] head = Arrays.copyOf(pcm, Math.min(pcm.length, 5 * SpeechEngine.SAMPLE_RATE));
        int max = decoders.stream().mapToInt(Integer::intValue).max().orElse(1);
        try (PocketsphinxEngine engine = PocketsphinxEngine.load(model, profile)) {
            List<RecognitionStream> open = new ArrayList<>();
            RecognitionListener quiet = new RecognitionListener() {
                @Override
                public void onPartial(Hypothesis partial) {
                }

                @Override
                public void onFinal(Hypothesis fin) {
                }
            };
            List<double[]> points = new ArrayList<>();
            try {
                for (int n = 1; n <= max; n++) {
                    RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), quiet);
                    open.add(stream);
                    for (int i = 0; i < head.length; i += 1600) {
                        stream.acceptAudio(Arrays.copyOfRange(head, i, Math.min(head.length, i + 1600)),
                                Math.min(1600, head.length - i));
                    }
                    if (decoders.contains(n)) {
                        System.gc();
                        double rss = ProcSnapshot.rssKb(Files.readString(Path.of("/proc/self/status"))) / 1024.0;
                        points.add(new double[] {n, rss});
                        System.out.printf(Locale.ROOT, "%s: %d decoders, RSS %.1f MB%n", profile.configName(), n, rss);
                    }
                }
            } finally {
                open.forEach(RecognitionStream::close);
            }
            if (points.size() >= 2) {
                double[] first = points.get(0);
                double[] last = points.get(points.size() - 1);
                System.out.printf(Locale.ROOT, "%s: %.1f MB per added decoder (RSS slope from %d to %d)%n",
                        profile.configName(), (last[1] - first[1]) / (last[0] - first[0]), (int) first[0],
                        (int) last[0]);
            }
        }
    }

    private record Fed(double cpuSeconds, double processCpuSeconds, String text) {
    }

    private static Fed feed(SpeechEngine engine, short[] pcm) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        List<String> finals = new ArrayList<>();
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
            }

            @Override
            public void onFinal(Hypothesis fin) {
                finals.add(fin.words().stream().map(RecognizedWord::word).collect(Collectors.joining(" ")));
            }
        };
        int chunk = SpeechEngine.SAMPLE_RATE / 10;
        short[] buffer = new short[chunk];
        long process = os.getProcessCpuTime();
        long cpu = threads.getCurrentThreadCpuTime();
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), listener)) {
            for (int i = 0; i < pcm.length; i += chunk) {
                int n = Math.min(chunk, pcm.length - i);
                System.arraycopy(pcm, i, buffer, 0, n);
                stream.acceptAudio(buffer, n);
            }
            stream.finish();
        }
        return new Fed((threads.getCurrentThreadCpuTime() - cpu) / 1e9, (os.getProcessCpuTime() - process) / 1e9,
                String.join(" ", finals));
    }

    /** A CLI run: started by {@link #cli}, its CPU and text known once {@link #finish} returns. */
    private record Cli(Process process, List<String> command, Path times, Path out, double cpuSeconds, String text) {

        Cli finish() throws IOException, InterruptedException {
            try {
                if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                    process.destroyForcibly();
                    throw new IOException("pocketsphinx_continuous failed: " + command);
                }
                String[] userSystem = Files.readString(times).trim().split("\\s+");
                return new Cli(process, command, times, out,
                        Double.parseDouble(userSystem[0]) + Double.parseDouble(userSystem[1]),
                        Files.readString(out).replace('\n', ' '));
            } finally {
                Files.deleteIfExists(times);
                Files.deleteIfExists(out);
            }
        }
    }

    private static Cli cli(List<String> arguments, Path wav) throws IOException {
        Path times = Files.createTempFile("livecap-cli", ".time");
        Path out = Files.createTempFile("livecap-cli", ".txt");
        List<String> command = new ArrayList<>(List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString(),
                "pocketsphinx_continuous", "-infile", wav.toString(), "-logfn", "/dev/null"));
        command.addAll(arguments);
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new Cli(process, command, times, out, Double.NaN, "");
    }

    private static void writeWav(Path path, short[] pcm) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(44 + pcm.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + pcm.length * 2).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(SpeechEngine.SAMPLE_RATE).putInt(SpeechEngine.SAMPLE_RATE * 2)
                .putShort((short) 2).putShort((short) 16).put("data".getBytes()).putInt(pcm.length * 2);
        for (short s : pcm) {
            b.putShort(s);
        }
        Files.write(path, b.array());
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "?";
        }
    }
}
