package io.livecap.sandbox;

import io.livecap.cli.BundledSample;
import io.livecap.cli.ToolCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "sandbox", mixinStandardHelpOptions = true,
        description = {"Run a fake Kaltura REACH partner to rehearse against: the REACH API over HTTP with Kaltura's",
                "JSON shapes and errors, scheduled Live events whose mediaUrl streams speech in real time, and a",
                "captionUrl websocket that records what arrives. GET /sandbox/report shows, per task, its status",
                "history, captions received, the delivered asset and any protocol violations. Prints the exact",
                "`livecap serve` command to point at it.", ""})
public final class SandboxCommand implements Callable<Integer>, ToolCommand {

    @Option(names = "--port", defaultValue = "8090", description = "HTTP port; websockets use the next one (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--events", defaultValue = "1", description = "Scheduled Live events, one task each (default: ${DEFAULT-VALUE}).")
    int events;

    @Option(names = "--starts-in", defaultValue = "60", paramLabel = "SECONDS", description = "First event starts this long from now (default: ${DEFAULT-VALUE}).")
    int startsIn;

    @Option(names = "--duration", defaultValue = "120", paramLabel = "SECONDS", description = "Each event's length (default: ${DEFAULT-VALUE}).")
    int duration;

    @Option(names = "--regions", defaultValue = "us", split = ",", description = "Regions, each with the same task ids (default: ${DEFAULT-VALUE}).")
    List<String> regions;

    @Option(names = "--audio", paramLabel = "FILE", description = "Speech the events stream, looped (default: the bundled sample).")
    Path audio;

    @Override
    public Integer call() throws Exception {
        Path speech = audio != null ? audio : BundledSample.extract();
        ReachSandbox sandbox = ReachSandbox.start(SandboxConfig.of(port, events, startsIn, duration, speech)
                .withRegions(regions.toArray(String[]::new)));
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println("REACH sandbox running; report: " + sandbox.httpBase() + "/sandbox/report");
        System.out.println("point livecap at it with:");
        for (String region : sandbox.regionNames()) {
            System.out.println("  java -jar target/livecap.jar " + sandbox.serveCommand(region).replaceFirst("^livecap ", ""));
        }
        stopped.await();
        return 0;
    }
}
