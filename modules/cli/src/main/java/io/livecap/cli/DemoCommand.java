package io.livecap.cli;

import io.livecap.audio.WavAudio;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.config.LivecapConfig;
import io.livecap.node.LivecapNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Start a server on the embedded defaults, stream a bundled 12 s speech sample into it in real",
                "time, and print the captions as they arrive. Needs nothing but Java: it proves an install works.", ""})
final class DemoCommand implements Callable<Integer> {

    @Option(names = "--engine", description = "auto, vosk, pocketsphinx or sphinx4 (default: auto).")
    String engine;

    @Option(names = "--file", paramLabel = "WAV", description = "Use this 16-bit WAV file instead of the bundled sample.")
    Path file;

    @Option(names = "--fast", description = "Feed as fast as the server takes it instead of in real time.")
    boolean fast;

    @Option(names = "--json", description = "Print every caption message as JSON instead of readable lines.")
    boolean json;

    @Option(names = "--reach", description = {"Rehearse a whole Kaltura REACH Live event instead: a sandbox partner with",
            "one Live task, livecap driving it PENDING -> SCHEDULED -> PROCESSING -> READY (about 90 s)."})
    boolean reach;

    @Override
    public Integer call() throws Exception {
        if (reach) {
            return ServiceLoader.load(Rehearsal.class).findFirst()
                    .orElseThrow(() -> new IllegalStateException("this build has no REACH sandbox (module livecap-sandbox)"))
                    .run(engine);
        }
        LivecapConfig config = ServeCommand.load(null, 0, "127.0.0.1", engine)
                .withStoreUrl("jdbc:h2:mem:demo;DB_CLOSE_DELAY=-1"); // a rehearsal leaves nothing behind
        // its own admin key, in memory only: the user's key file is left alone
        config = config.withAuth(new LivecapConfig.Auth(true, "", config.auth().protectMetrics()));
        WavAudio audio = file != null ? WavAudio.read(file) : BundledSample.read();
        try (LivecapNode node = LivecapNode.start(config)) {
            System.out.printf("demo: livecap on port %d, engine %s; streaming %.1f s of speech%s%n", node.port(),
                    node.engine().name(), audio.durationSeconds(), fast ? "" : " in real time");
            try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/demo"), m -> print(m))
                         .token(node.firstAdminKey().orElse(null));
                 IngestClient source = new IngestClient(node.url("/v1/ingest/demo"))
                         .token(node.firstAdminKey().orElse(null))) {
                captions.connect(10_000);
                source.connect(10_000);
                new AudioFeeder().realtime(!fast).ptsStart(900_000).timescale(90_000).ptsBits(33)
                        .feed(AudioFeeder.of(audio.samples(), audio.sampleRate(), audio.channels()), source);
                captions.awaitEos(60_000);
                long finals = captions.finals().size();
                System.out.printf("demo: done, %d final captions%n", finals);
                return finals > 0 ? 0 : 1;
            }
        } finally {
            System.out.flush();
        }
    }

    private void print(CaptionClient.Received message) {
        if (json) {
            System.out.println(message.json());
        } else if (message.isCaption()) {
            Caption c = message.caption();
            System.out.printf("%s #%-3d %6.2fs  pts %-10d %s%n", c.isFinal() ? "FINAL  " : "partial", c.seq(),
                    c.startMs() / 1000.0, c.startPts(), c.text());
        } else {
            System.out.println(message.json());
        }
    }
}
