package io.livecap.cluster;

import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.ingest.AudioFileReader;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Two serve processes on one PostgreSQL; a stream is pushed to node a, and its captions are read on node b: b
 * replays what is stored and relays what comes live (LISTEN/NOTIFY), so subscribers there get every final exactly
 * once, in order, the same finals as a subscriber on the owner and as the store, whenever they joined: before the
 * stream started, mid-stream with {@code from_seq=0} (the replay/live seam), or live only.
 */
class RelayTest {

    @TempDir
    Path dir;

    @Test
    void aNodeThatDoesNotOwnTheStreamServesItsCaptionsWithoutLossOrRepeat() throws Exception {
        String url = TestPostgres.freshUrl();
        try (RelayCluster cluster = new RelayCluster(dir, url, 20)) {
            cluster.start("node-a", Map.of());
            cluster.start("node-b", Map.of());
            List<CaptionClient> clients = new ArrayList<>();
            try {
                CaptionClient onOwner = subscribe(cluster, "node-a", "?from_seq=0", clients);
                CaptionClient early = subscribe(cluster, "node-b", "?from_seq=0", clients);
                CaptionClient liveOnly = subscribe(cluster, "node-b", "", clients);

                AudioFeeder feeder = new AudioFeeder().realtime(true);
                try (AudioFileReader reader = AudioFileReader.open(cluster.tones());
                     IngestClient source = new IngestClient(cluster.ws("node-a", "/v1/ingest/ev"))) {
                    AudioFeeder.Source audio = AudioFeeder.of(reader);
                    source.connect(10_000);
                    source.start(feeder.startMessage(audio), 10_000);
                    List<CaptionClient> late = new ArrayList<>();
                    Thread feeding = new Thread(() -> {
                        try {
                            feeder.feedChunks(audio, source, true);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                    }, "feed");
                    feeding.start();
                    // late joiners on b, each after one more final: the replay/live seam, several times
                    for (int k = 1; k <= 3; k++) {
                        int finals = k;
                        await("final " + k + " relayed to node b", 60_000, () -> early.finals().size() >= finals,
                                cluster);
                        late.add(subscribe(cluster, "node-b", "?from_seq=0", clients));
                    }
                    feeding.join(120_000);
                    assertFalse(feeding.isAlive(), "the feed ended");
                    onOwner.awaitEos(60_000);
                    List<Long> reference = seqs(onOwner.finals());
                    List<Long> stored = storedSeqs(url, "ev");
                    assertEquals(stored, reference, "the owner's subscriber got the stored finals");
                    assertTrue(reference.size() >= 4, "the tones gave finals: " + reference);
                    for (CaptionClient c : List.of(early, late.get(0), late.get(1), late.get(2))) {
                        c.awaitEos(30_000);
                        assertEquals(reference, seqs(c.finals()), "a subscriber on node b: every final once");
                        assertEquals(texts(onOwner.finals()), texts(c.finals()));
                    }
                    liveOnly.awaitEos(30_000);
                    List<Long> live = seqs(liveOnly.finals());
                    assertEquals(reference, live, "the live-only subscriber joined before the stream began");
                    assertTrue(early.captions().stream().anyMatch(c -> !c.isFinal()),
                            "partials are relayed too: " + early.captions().size() + " captions");
                    assertStrictlyIncreasing(seqs(early.captions()));
                    assertEquals("eos", early.received().get(early.received().size() - 1).json().path("type")
                            .asText());
                }
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + cluster.logs(), e);
            } finally {
                clients.forEach(CaptionClient::close);
            }
        }
    }

    private static CaptionClient subscribe(RelayCluster cluster, String node, String query,
                                           List<CaptionClient> clients) throws Exception {
        CaptionClient client = new CaptionClient(cluster.ws(node, "/v1/captions/ev" + query));
        clients.add(client);
        client.connect(10_000);
        return client;
    }

    private static List<Long> seqs(List<Caption> captions) {
        return captions.stream().map(Caption::seq).toList();
    }

    private static List<String> texts(List<Caption> captions) {
        return captions.stream().map(Caption::text).toList();
    }

    private static void assertStrictlyIncreasing(List<Long> seqs) {
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "seqs in order, none twice: " + seqs);
        }
    }

    static List<Long> storedSeqs(String url, String streamId) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
             PreparedStatement q = c.prepareStatement("SELECT seq FROM final_caption WHERE stream_id = ? ORDER BY seq")) {
            q.setString(1, streamId);
            List<Long> seqs = new ArrayList<>();
            try (ResultSet rows = q.executeQuery()) {
                while (rows.next()) {
                    seqs.add(rows.getLong(1));
                }
            }
            return seqs;
        }
    }

    static void await(String what, long timeoutMs, BooleanSupplier condition, RelayCluster cluster)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                fail("timed out waiting for " + what + cluster.logs());
            }
            Thread.sleep(100); // polling a condition with a deadline
        }
    }
}
