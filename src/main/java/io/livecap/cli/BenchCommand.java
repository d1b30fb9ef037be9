package io.livecap.cli;

import io.livecap.audio.WavAudio;
import io.livecap.bench.LatencyBench;
import io.livecap.config.LivecapConfig;
import io.livecap.server.Json;
import io.livecap.server.LivecapNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure caption latency, timing accuracy, WER and CPU: start a server, feed N copies of a",
                "speech file in real time through the ingest websocket, subscribe to every caption stream.",
                "Writes <out>/<date>-<engine>-<n>.json and prints a Markdown row. See bench/README.md.", ""})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--engine", defaultValue = "auto", description = "Engine to measure (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--file", required = true, paramLabel = "WAV", description = "16-bit WAV speech file.")
    Path file;

    @Option(names = "--reference", paramLabel = "TXT", description = "Reference transcript, for WER.")
    Path reference;

    @Option(names = "--streams", defaultValue = "1", description = "Concurrent streams (default: ${DEFAULT-VALUE}).")
    int streams;

    @Option(names = "--out", defaultValue = "bench/results", paramLabel = "DIR",
            description = "Where to write the JSON result (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        LivecapConfig config = ServeCommand.load(null, 0, "127.0.0.1", engine)
                .withStoreUrl("jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
        WavAudio audio = WavAudio.read(file);
        String ref = reference == null ? null : Files.readString(reference).trim();
        try (LivecapNode node = LivecapNode.start(config)) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("date", LocalDate.now().toString());
            result.put("command", "livecap bench --engine " + engine + " --file " + file + " --streams " + streams
                    + (reference == null ? "" : " --reference " + reference));
            result.put("file", file.getFileName().toString());
            result.putAll(new LatencyBench(node, audio, ref).run(streams));
            Files.createDirectories(out);
            Path json = out.resolve(result.get("date") + "-" + node.engine().name() + "-" + streams + ".json");
            Files.writeString(json, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(result) + "\n");
            System.out.print(LatencyBench.markdown(result));
            System.out.println("written: " + json);
            return 0;
        }
    }
}
