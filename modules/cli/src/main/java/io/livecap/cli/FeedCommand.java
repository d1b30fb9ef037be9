package io.livecap.cli;

import io.livecap.client.AudioFeeder;
import io.livecap.client.ClientTls;
import io.livecap.client.IngestClient;
import io.livecap.ingest.AudioFileReader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "feed", mixinStandardHelpOptions = true,
        description = {"Stream an audio file (anything ffmpeg reads: wav, flac, mp3, aac, mp4...) to an ingest websocket,",
                "as PCM at the file's own rate and channels, with pts, like a live encoder.", ""})
final class FeedCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE", description = "The audio file.")
    Path file;

    @Option(names = "--url", required = true, paramLabel = "ws://HOST:PORT/v1/ingest/ID", description = "Ingest URL.")
    URI url;

    @Option(names = "--ca-file", paramLabel = "PEM",
            description = "For wss:// URLs: trust only the CA certificates in this PEM file (default: the system's).")
    Path caFile;

    @Option(names = "--realtime", description = "Pace chunks at the audio's own speed (default: as fast as possible).")
    boolean realtime;

    @Option(names = "--pts-start", paramLabel = "N", defaultValue = "0", description = "pts of the first sample (default: ${DEFAULT-VALUE}).")
    long ptsStart;

    @Option(names = "--timescale", paramLabel = "HZ", defaultValue = "90000", description = "pts ticks per second (default: ${DEFAULT-VALUE}).")
    long timescale;

    @Option(names = "--pts-bits", paramLabel = "BITS", defaultValue = "64", description = "pts wrap at 2^BITS: 33 for MPEG-TS (default: ${DEFAULT-VALUE}, never).")
    int ptsBits;

    @Option(names = "--chunk-ms", paramLabel = "MS", defaultValue = "100", description = "Audio per chunk, 20-100 (default: ${DEFAULT-VALUE}).")
    int chunkMs;

    @Option(names = "--language", defaultValue = "en-US", description = "Language tag sent in start (default: ${DEFAULT-VALUE}).")
    String language;

    @Option(names = "--channel-strategy", paramLabel = "S",
            description = "Ask for a channel strategy: auto, sum, left, right, invert-right, swap (default: the server's).")
    String channelStrategy;

    @Option(names = "--token", paramLabel = "TOKEN", description = {"A key or stream token (default: LIVECAP_TOKEN, else the",
            "local admin key file, auth.admin_key_file). Prefer the environment: a command line is visible to ps."})
    String token;

    @Override
    public Integer call() throws Exception {
        if (chunkMs < 20 || chunkMs > 100) {
            throw new IllegalArgumentException("--chunk-ms must be 20-100, got " + chunkMs);
        }
        try (AudioFileReader reader = AudioFileReader.open(file); IngestClient client = new IngestClient(url)
                .token(ClientToken.resolve(token, System.getenv()))
                .trusting(ClientTls.trustingOrSystem(caFile))) {
            client.connect(10_000);
            AudioFeeder feeder = new AudioFeeder().chunkMs(chunkMs).ptsStart(ptsStart).timescale(timescale)
                    .ptsBits(ptsBits).realtime(realtime).language(language).channelStrategy(channelStrategy);
            System.err.printf("feed: %s (%d Hz, %d ch) -> %s%n", file, reader.sampleRate(), reader.channels(), url);
            long frames = feeder.feed(AudioFeeder.of(reader), client);
            IngestClient.Closed closed = client.awaitClose(120_000);
            client.messages().forEach(m -> System.err.println("server: " + m));
            if (closed.code() != 1000) {
                System.err.printf("feed: sent %.1f s of audio; %s%n", (double) frames / reader.sampleRate(),
                        client.describeClose(closed));
                return 2;
            }
            System.err.printf("feed: sent %.1f s of audio; server closed %d %s%n",
                    (double) frames / reader.sampleRate(), closed.code(), closed.reason());
            return 0;
        }
    }
}
