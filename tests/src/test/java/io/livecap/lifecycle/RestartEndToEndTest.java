package io.livecap.lifecycle;

import io.livecap.captions.Caption;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.store.Database;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static io.livecap.lifecycle.ReachSandboxRun.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * livecap killed with SIGKILL mid-event and started again on the same database: the task resumes and finishes
 * READY, and the delivered asset holds every final caption exactly once.
 */
@Execution(ExecutionMode.CONCURRENT) // the suite's second lane (tests/src/test/resources/junit-platform.properties)
class RestartEndToEndTest {

    @TempDir
    Path dir;

    /** livecap serve as its own JVM, so it can really be killed. */
    private Process serve(SandboxRegion region, String name) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-cp", System.getProperty("java.class.path"), "io.livecap.cli.Main", "serve",
                "--port", "0", "--host", "127.0.0.1", "--engine", "pocketsphinx",
                "--reach-url", region.serviceUrl().toString(), "--reach-region", region.name(),
                "--reach-partner-id", String.valueOf(region.vendorPartnerId()), "--reach-vendor", "sandboxvendor"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).directory(dir.toFile());
        builder.environment().put("LIVECAP_REACH_KS_US", region.vendorKs().reveal());
        builder.environment().put("LIVECAP_STORE_URL", "jdbc:h2:file:" + dir.resolve("livecap"));
        // the sandbox serves the event's media on loopback, which a pull refuses unless allow-listed
        builder.environment().put("LIVECAP_INGEST_ALLOWED_NETWORKS", "127.0.0.0/8,::1");
        builder.environment().put("LIVECAP_REACH_POLL_SECONDS", "1");
        builder.environment().put("LIVECAP_REACH_TICK_MS", "200");
        builder.environment().put("LIVECAP_REACH_KEEP_ALIVE_SECONDS", "2");
        return builder.start();
    }

    @Test
    void killedMidEventAndRestartedTheTaskResumesAndEveryFinalIsDeliveredOnce() throws Exception {
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        SandboxConfig config = SandboxConfig.of(0, 0, 0, 90, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(8));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            long id = us.addLiveTasks(1, Instant.now().plusSeconds(30), Duration.ofSeconds(90)).get(0);
            Process first = serve(us, "first");
            try {
                await("PROCESSING with captions flowing", Duration.ofSeconds(150),
                        () -> us.status(id).equals(Optional.of(TaskStatus.PROCESSING)) && captions(sandbox, id) >= 2);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; livecap's log:\n" + Files.readString(dir.resolve("first.log")));
            } finally {
                first.destroyForcibly(); // SIGKILL: no shutdown hook, nothing flushed
                assertTrue(first.waitFor(10, TimeUnit.SECONDS));
            }
            int beforeRestart = captions(sandbox, id);
            Process second = serve(us, "second");
            try {
                await("READY", Duration.ofSeconds(180), () -> us.status(id).equals(Optional.of(TaskStatus.READY)));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "; livecap's log:\n" + Files.readString(dir.resolve("second.log")));
            } finally {
                second.destroy();
                assertTrue(second.waitFor(30, TimeUnit.SECONDS));
            }
            assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"),
                    us.statusHistory(id).stream().map(Object::toString).toList());
            assertTrue(captions(sandbox, id) > beforeRestart, "captions resumed after the restart; livecap's log:\n"
                    + Files.readString(dir.resolve("second.log")));
            assertTrue(Files.readString(dir.resolve("second.log")).contains("resuming its caption session"));

            var report = sandbox.report().path("regions").path(0).path("tasks").path(0);
            var duplicates = report.path("captions").path("duplicates");
            assertEquals(0, report.path("captions").path("gaps").size(), report.path("captions").toString());
            String asset = report.path("captionAsset").path("content").asText();
            assertTrue(report.path("captionAsset").path("validation").path("valid").asBoolean(), report.toString());

            List<Caption> finals;
            try (Database db = Database.open("jdbc:h2:file:" + dir.resolve("livecap"))) {
                finals = new JdbcCaptionStore(db).finalsAfter("reach-us-" + id, 0);
            }
            assertTrue(finals.size() >= 4, "finals from both runs: " + finals.size());
            // SIGKILL can land between a final leaving and its pong coming back: that one final (same seq, same
            // content) may be sent again - the pusher's documented residual risk. Nothing else may repeat.
            assertTrue(duplicates.size() <= 1, report.path("captions").toString());
            for (var seq : duplicates) {
                assertTrue(finals.stream().anyMatch(f -> f.seq() == seq.asLong()), "a repeated seq is a final: " + seq);
            }
            assertEquals(words(String.join(" ", finals.stream().map(Caption::text).toList())), words(srtText(asset)),
                    () -> "the asset holds every stored final exactly once, in order; finals: " + finals.stream()
                            .map(f -> f.seq() + "@" + f.startMs() + "-" + f.endMs() + " " + f.words().stream()
                                    .map(w -> w.word() + ":" + w.startMs() + "-" + w.endMs()).toList())
                            .toList() + "\nasset:\n" + asset);
        }
    }

    private static int captions(ReachSandbox sandbox, long id) {
        return sandbox.report().path("regions").path(0).path("tasks").path(0).path("captions").path("finals").asInt();
    }

    /** The caption text of an SRT file: everything but cue numbers and timing lines. */
    private static String srtText(String srt) {
        StringBuilder text = new StringBuilder();
        for (String line : srt.split("\r?\n")) {
            if (!line.isBlank() && !line.matches("\\d+") && !line.contains("-->")) {
                text.append(line).append(' ');
            }
        }
        return text.toString();
    }

    private static List<String> words(String text) {
        return List.of(text.trim().split("\\s+"));
    }
}
