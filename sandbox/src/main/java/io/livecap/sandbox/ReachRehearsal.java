package io.livecap.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.cli.BundledSample;
import io.livecap.cli.Rehearsal;
import io.livecap.config.LivecapConfig;
import io.livecap.reach.TaskStatus;
import io.livecap.node.LivecapNode;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * {@code livecap demo --reach}: a REACH sandbox with one Live event on the bundled sample, and livecap driving its
 * task end to end, narrated as it happens.
 */
public final class ReachRehearsal implements Rehearsal {

    private static final Duration EVENT = Duration.ofSeconds(40);
    private static final Duration LIMIT = Duration.ofMinutes(4);

    @Override
    public int run(String engine) throws Exception {
        SandboxConfig sandboxConfig = SandboxConfig.of(0, 0, 0, (int) EVENT.toSeconds(), BundledSample.extract())
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(10));
        try (ReachSandbox sandbox = ReachSandbox.start(sandboxConfig)) {
            SandboxRegion region = sandbox.region("us");
            long task = region.addLiveTasks(1, Instant.now().plusSeconds(25), EVENT).get(0);
            System.out.printf("demo: REACH sandbox at %s, Live task %d starts in 25 s for %d s%n",
                    sandbox.httpBase(), task, EVENT.toSeconds());
            LivecapConfig config = LivecapConfig.load(null, Map.of(), Map.of("server.port", "0",
                            "server.host", "127.0.0.1", "reach.poll_seconds", "1", "reach.tick_ms", "250",
                            "reach.keep_alive_seconds", "5", "engine.name", engine == null ? "auto" : engine,
                            "auth.admin_key_file", "", // its own admin key, unused: the user's key file is left alone
                            "ingest.allowed_networks", "127.0.0.0/8,::1")) // the sandbox's media is on loopback
                    .withStoreUrl("jdbc:h2:mem:rehearsal;DB_CLOSE_DELAY=-1") // a rehearsal leaves nothing behind
                    .withReachEndpoint(new LivecapConfig.ReachEndpoint(region.name(), region.serviceUrl().toString(),
                            region.vendorPartnerId(), "sandboxvendor", region.vendorKs().reveal()));
            try (LivecapNode node = LivecapNode.start(config)) {
                Optional<TaskStatus> shown = Optional.empty();
                long deadline = System.nanoTime() + LIMIT.toNanos();
                while (System.nanoTime() < deadline) {
                    Optional<TaskStatus> status = region.status(task);
                    if (!status.equals(shown)) {
                        System.out.printf("demo: %s task %d is %s%n", Instant.now(), task,
                                status.map(Enum::name).orElse("?"));
                        shown = status;
                    }
                    if (status.isPresent() && status.get().isFinal()) {
                        break;
                    }
                    Thread.sleep(250); // narration: look at the partner's view four times a second
                }
                JsonNode report = sandbox.report().path("regions").path(0).path("tasks").path(0);
                JsonNode captions = report.path("captions");
                JsonNode asset = report.path("captionAsset");
                System.out.printf("demo: captionUrl received %d messages (%d finals), duplicates %s, gaps %s%n",
                        captions.path("count").asInt(), captions.path("finals").asInt(), captions.path("duplicates"),
                        captions.path("gaps"));
                System.out.printf("demo: caption asset %s, %s, valid %s, accuracy %s; protocol violations: %s%n",
                        asset.path("id").asText("-"), asset.path("format").asText("-"),
                        asset.path("validation").path("valid").asText("-"), report.path("accuracy").asText("-"),
                        report.path("violations"));
                boolean ready = shown.equals(Optional.of(TaskStatus.READY));
                System.out.println(ready ? "demo: done, the task is READY" : "demo: the task did not reach READY");
                return ready ? 0 : 1;
            }
        }
    }
}
