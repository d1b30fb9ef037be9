package io.livecap.store;

import io.livecap.captions.Caption;
import io.livecap.captions.Json;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The H2 file stays near the size of what it holds while streams run (issue 12 measured 147 KB growing to 12.7 MB
 * over 5 one-minute streams, 401 KB after shutdown). Five streams at real speed, each a partial every 250 ms and a
 * final every 2.5 s (every one a commit, as in a live event), while the file's size is sampled; the largest it got
 * must stay under a generous bound derived from the stored data, not from time. The old settings (H2's 45 s chunk
 * retention, no housekeeping) went several times past it. bench/README.md "Store file growth" has the numbers.
 */
@Timeout(300)
class StoreGrowthTest {

    static final int STREAMS = 5;
    static final int SECONDS = Integer.getInteger("livecap.growth.seconds", 30);

    @TempDir
    Path dir;

    @Test
    void theDatabaseFileStaysNearItsDataWhileStreamsRun() throws Exception {
        Path file = dir.resolve("livecap.mv.db");
        String url = "jdbc:h2:file:" + dir.resolve("livecap") + System.getProperty("livecap.growth.h2", "");
        try (LivecapNode node = LivecapNode.start(TestConfig.local(Map.of("store.url", url)), script())) {
            long empty = Files.size(file);
            AtomicLong largest = new AtomicLong(empty);
            ExecutorService pool = Executors.newFixedThreadPool(STREAMS + 1);
            Future<?> sampler = pool.submit(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    try {
                        largest.accumulateAndGet(Files.size(file), Math::max);
                        Thread.sleep(100); // a sampling period, not a synchronisation
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            List<Future<List<Caption>>> runs = new ArrayList<>();
            for (int i = 0; i < STREAMS; i++) {
                String id = "growth-" + i;
                runs.add(pool.submit(() -> {
                    AudioFeeder.Source audio = AudioFeeder.of(new short[16_000 * SECONDS], 16_000, 1);
                    StreamRun run = new StreamRun(node, id, new AudioFeeder().realtime(true));
                    run.open(audio).feedAll(audio);
                    List<Caption> finals = run.finals();
                    run.captions().close();
                    run.source().close();
                    return finals;
                }));
            }
            long dataBytes = 0;
            int finals = 0;
            for (Future<List<Caption>> run : runs) {
                for (Caption c : run.get(SECONDS * 4L + 60, TimeUnit.SECONDS)) {
                    dataBytes += Json.write(c).length() + c.text().length();
                    finals++;
                }
            }
            sampler.cancel(true);
            pool.shutdownNow();
            long end = Files.size(file);
            // each final is stored once as JSON and once as text; 8 x that plus 1 MB of slack for H2's own chunks
            long bound = empty + 8 * dataBytes + (1 << 20);
            System.out.printf("store growth: %d streams x %d s, %d finals, %d bytes of captions; file %d B empty,"
                    + " at most %d B while running, %d B at the end (bound %d B)%n", STREAMS, SECONDS, finals,
                    dataBytes, empty, largest.get(), end, bound);
            assertEquals(STREAMS * (SECONDS * 1000L / 2500), finals, "every scripted utterance gave a final");
            assertTrue(largest.get() < bound, "the file grew to " + largest.get() + " B for " + dataBytes
                    + " B of captions (bound " + bound + " B)");
        }
        System.out.printf("store growth: %d B after shutdown%n", Files.size(file));
    }

    /** A word every 250 ms, 8 to an utterance, then 500 ms of silence: a partial per word, a final per utterance. */
    private static ScriptedSpeechEngine script() {
        List<String> lines = new ArrayList<>();
        for (long start = 0; start + 2500 <= SECONDS * 1000L; start += 2500) {
            StringBuilder line = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                long at = start + w * 250L;
                line.append("word").append(w).append('@').append(at).append('-').append(at + 200).append(' ');
            }
            lines.add(line.toString().trim());
        }
        return ScriptedSpeechEngine.of(lines.toArray(String[]::new));
    }
}
