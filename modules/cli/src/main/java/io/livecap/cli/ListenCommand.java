package io.livecap.cli;

import io.livecap.client.CaptionClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.util.concurrent.Callable;

@Command(name = "listen", mixinStandardHelpOptions = true,
        description = {"Subscribe to a stream's captions and print each message as one JSON line on stdout,",
                "until the stream's eos.", ""})
final class ListenCommand implements Callable<Integer> {

    @Option(names = "--url", required = true, paramLabel = "ws://HOST:PORT/v1/captions/ID",
            description = "Caption URL; add ?from_seq=N to replay the finals after seq N first.")
    URI url;

    @Option(names = "--finals-only", description = "Print final captions only.")
    boolean finalsOnly;

    @Override
    public Integer call() throws Exception {
        try (CaptionClient client = new CaptionClient(url, message -> {
            if (!finalsOnly || !message.isCaption() || message.json().path("final").asBoolean()) {
                System.out.println(message.json());
                System.out.flush();
            }
        })) {
            client.connect(10_000);
            client.awaitEos(Long.MAX_VALUE);
            return 0;
        }
    }
}
