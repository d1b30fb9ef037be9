package io.livecap.cli;

import io.livecap.config.LivecapConfig;
import io.livecap.server.LivecapNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the captioning server until stopped (Ctrl-C / SIGTERM finish live streams' captions first).",
                "",
                "Endpoints:",
                "  ws  /v1/ingest/{id}     push audio: start message, 8-byte pts + PCM chunks, eos",
                "  ws  /v1/captions/{id}   subscribe to captions (?from_seq=N replays stored finals)",
                "  ws  /v1/vosk            vosk-server compatible recognition",
                "  GET /healthz            liveness and engine",
                "  GET /v1/streams         live streams",
                ""})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--port", description = "Port for HTTP and websockets (default: server.port, 8080).")
    Integer port;

    @Option(names = "--host", description = "Address to bind (default: server.host, 0.0.0.0).")
    String host;

    @Option(names = "--engine", description = "auto, vosk, pocketsphinx or sphinx4 (default: engine.name, auto).")
    String engine;

    @Option(names = "--config", paramLabel = "FILE",
            description = "YAML settings over the embedded defaults (default: ./config/livecap.yaml if present).")
    Path config;

    @Override
    public Integer call() throws Exception {
        LivecapConfig settings = load(config, port, host, engine);
        LivecapNode node = LivecapNode.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.closeWithEngine();
            stopped.countDown();
        }, "shutdown"));
        System.err.println("livecap: serving on port " + node.port() + " with engine " + node.engine().name()
                + "; push audio to ws://HOST:" + node.port() + "/v1/ingest/{id}");
        stopped.await();
        return 0;
    }

    static LivecapConfig load(Path file, Integer port, String host, String engine) {
        Path chosen = file;
        if (chosen == null && Files.isRegularFile(Path.of("config", "livecap.yaml"))) {
            chosen = Path.of("config", "livecap.yaml");
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (port != null) {
            overrides.put("server.port", port.toString());
        }
        if (host != null) {
            overrides.put("server.host", host);
        }
        if (engine != null) {
            overrides.put("engine.name", engine);
        }
        return LivecapConfig.load(chosen, System.getenv(), overrides);
    }
}
