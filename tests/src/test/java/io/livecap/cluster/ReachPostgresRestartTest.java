package io.livecap.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.captions.Caption;
import io.livecap.reach.TaskStatus;
import io.livecap.sandbox.ReachSandbox;
import io.livecap.sandbox.SandboxConfig;
import io.livecap.sandbox.SandboxRegion;
import io.livecap.sandbox.SandboxRegion.ReceivedCaption;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.testkit.PrivatePostgres;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.TestPostgres;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static io.livecap.cluster.ServeNodes.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One livecap node captions two REACH sandbox events on its own PostgreSQL, which stops for 10 s just as the first
 * event's ordered slot ends and comes back. The first event's cut-off is then under way: its DELIVERING transition
 * (and, when the push runs behind, its last finals and eos) fall in the outage. The second is mid-event throughout: its captions must keep reaching
 * its captionUrl to the end of the outage (a push that waited for the store to confirm a checkpoint would stall).
 * For both: in order, none twice, no final missing, one connection; the delivery checkpoint reaches the last final
 * once the store is back; PENDING -> SCHEDULED -> PROCESSING -> READY with one updateJob per transition and each
 * transition audited once; the asset holds every final exactly once. {@code /healthz} said degraded during the
 * outage and ok after, with nothing lost. The lease TTL is shorter than the outage: the lone node keeps its tasks,
 * re-asserting their leases when the store is back.
 */
@Execution(ExecutionMode.CONCURRENT) // the suite's second lane (tests/src/test/resources/junit-platform.properties)
class ReachPostgresRestartTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration OUTAGE = Duration.ofSeconds(10);
    private static final int SHORT_SLOT_SECONDS = 30;
    /** Ends well after the outage: its captions are live throughout it. */
    private static final int LONG_SLOT_SECONDS = 45;
    private static final Duration END_BUFFER = Duration.ofSeconds(5);
    /**
     * Shorter than the outage: the node's leases expire in the store meanwhile. Alone, it keeps captioning and takes
     * them back when the store is back (their rows still name it), without a break in either push.
     */
    private static final int TTL_SECONDS = 8;

    @TempDir
    Path dir;

    @Test
    void captionsReachKalturaThroughAStoreRestartAndEachTaskEndsReadyWithEveryFinalOnce() throws Exception {
        Assumptions.assumeTrue(TestPostgres.available(), "PostgreSQL not available (see TestPostgres)");
        TestEngines.pocketsphinx(); // skips, saying why, where pocketsphinx is missing
        PrivatePostgres pg = PrivatePostgres.onFreePort();
        String storeUrl = pg.start();
        boolean stopped = false;
        SandboxConfig config = SandboxConfig.of(0, 0, 0, LONG_SLOT_SECONDS, SharedAudio.file(SharedAudio.LECTURE))
                .withBuffers(Duration.ofSeconds(5), END_BUFFER, Duration.ofSeconds(8));
        try (ReachSandbox sandbox = ReachSandbox.start(config)) {
            SandboxRegion us = sandbox.region("us");
            ServeNodes nodes = new ServeNodes(dir, us, storeUrl, TTL_SECONDS);
            try (nodes) {
                nodes.start("node-1");
                nodes.awaitUp(Duration.ofSeconds(180));
                URI health = URI.create("http://" + address(nodes, "node-1") + "/healthz");
                Instant start = Instant.now().plusSeconds(15);
                long cut = us.addLiveTasks(1, start, Duration.ofSeconds(SHORT_SLOT_SECONDS)).get(0);
                long live = us.addLiveTasks(1, start, Duration.ofSeconds(LONG_SLOT_SECONDS)).get(0);
                // the slot ends its end buffer after the event (Kaltura's whole seconds: never later than this)
                Instant cutoff = start.plusSeconds(SHORT_SLOT_SECONDS).plus(END_BUFFER);
                await("PROCESSING with captions flowing", Duration.ofSeconds(120), () -> List.of(cut, live).stream()
                        .allMatch(id -> us.status(id).equals(Optional.of(TaskStatus.PROCESSING))
                                && !us.receivedCaptions(id).isEmpty()));
                // just after the first slot's end the cut-off step is under way (a tick is 200 ms) when the store
                // goes (a tick that starts in the outage cannot read the tasks: only a step in flight takes a
                // transition then)
                Instant stopAt = cutoff.plusMillis(500);
                await("the first slot's end", Duration.ofSeconds(LONG_SLOT_SECONDS + 30),
                        () -> !Instant.now().isBefore(stopAt));

                pg.stop();
                stopped = true;
                Instant downAt = Instant.now();
                long down = System.nanoTime();
                boolean sawDegraded = false;
                List<String> healthSeen = new ArrayList<>();
                while (System.nanoTime() - down < OUTAGE.toNanos()) {
                    JsonNode h = health(health);
                    if (h.path("store").path("status").asText().equals("away")) {
                        sawDegraded |= h.path("status").asText().equals("degraded");
                    }
                    healthSeen.add(h.path("status").asText() + "/" + h.path("store").path("status").asText());
                    Thread.sleep(250); // the outage's length is the scenario; this only paces the health checks
                }
                Instant upAt = Instant.now();
                pg.start();
                stopped = false;
                assertTrue(sawDegraded, "/healthz said degraded while the store was away: " + healthSeen);

                await("both READY", Duration.ofSeconds(180), () -> List.of(cut, live).stream()
                        .allMatch(id -> us.status(id).equals(Optional.of(TaskStatus.READY))));
                for (long id : List.of(cut, live)) {
                    List<ReceivedCaption> received = us.receivedCaptions(id);
                    List<ReceivedCaption> during = received.stream().filter(c -> !c.receivedAt().isBefore(downAt)
                            && c.receivedAt().isBefore(upAt)).toList();
                    Instant lastDuring = during.isEmpty() ? null : during.get(during.size() - 1).receivedAt();
                    System.out.printf("task %d, store outage %s..%s: the captionUrl received %d captions meanwhile"
                                    + " (%d finals, the last at %s), %d in all%n", id, downAt, upAt, during.size(),
                            during.stream().filter(ReceivedCaption::isFinal).count(), lastDuring, received.size());
                    // the cut-off event's push may have caught up before the store went away (its slot ended just
                    // before): whether its tail falls in the outage is the machine's timing; the live one's is not
                    assertTrue(id == cut || during.size() >= 1, "task " + id + ": captions reached the captionUrl"
                            + " while the store was away");
                    if (!during.isEmpty()) {
                        // around the outage every caption came, once, in order: from the last before it to the last
                        // in it
                        int from = Math.max(0, received.indexOf(during.get(0)) - 1);
                        int to = received.indexOf(during.get(during.size() - 1));
                        for (int i = from + 1; i <= to; i++) {
                            assertEquals(received.get(i - 1).seq() + 1, received.get(i).seq(), "task " + id
                                    + ": no seq gap or repeat around the outage: " + received.subList(from, to + 1)
                                    .stream().map(ReceivedCaption::seq).toList());
                        }
                    }
                    if (id == live) {
                        Instant lateInOutage = downAt.plus(OUTAGE.dividedBy(2));
                        assertTrue(during.stream().anyMatch(c -> c.receivedAt().isAfter(lateInOutage)),
                                "the live event's captions kept coming through the second half of the outage"
                                        + " (the last at " + lastDuring + ")");
                    }
                    assertDelivered(sandbox, us, nodes, id, received);
                }

                JsonNode store = health(health).path("store");
                assertEquals("ok", store.path("status").asText(), store.toString());
                assertEquals(1, store.path("outages").asInt(), store.toString());
                assertEquals(0, store.path("lost_writes").asInt(), store.toString());
                assertEquals(0, store.path("buffered_writes").asInt(), store.toString());
                assertEquals("ok", health(health).path("status").asText());
                String log = Files.readString(nodes.log("node-1"));
                assertTrue(log.contains("re-asserted"), "the leases, expired in the store, were taken back");
                assertFalse(log.contains("lost (not renewed in time)") || log.contains("its lease was lost"),
                        "no lease lost, no task abandoned");
                System.out.println(Files.readAllLines(nodes.log("node-1")).stream().filter(l -> l.contains("store")
                        || l.contains(" -> ") || l.contains("lease")).limit(80).collect(Collectors.joining("\n")));
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + nodes.logs(), e);
            }
        } finally {
            if (stopped) {
                pg.start(); // whatever failed, the server is left as found before it is removed
            }
            pg.remove();
        }
    }

    /** In order, none twice, every stored final received once, checkpointed, READY once, every final in the asset. */
    private static void assertDelivered(ReachSandbox sandbox, SandboxRegion us, ServeNodes nodes, long id,
                                        List<ReceivedCaption> received) throws Exception {
        String stream = "reach-us-" + id;
        List<Long> seqs = received.stream().map(ReceivedCaption::seq).toList();
        for (int i = 1; i < seqs.size(); i++) {
            assertTrue(seqs.get(i) > seqs.get(i - 1), "task " + id + ": in order, none twice: " + seqs);
        }
        JsonNode report = ServeNodes.taskReport(sandbox, id);
        JsonNode captions = report.path("captions");
        assertEquals(1, captions.path("connections").asInt(), "task " + id + ": one connection: " + captions);
        assertEquals(0, captions.path("duplicates").size(), captions.toString());

        assertEquals(List.of("PENDING", "SCHEDULED", "PROCESSING", "READY"), us.statusHistory(id));
        assertEquals(List.of("SCHEDULED", "PROCESSING", "READY"), us.updateJobCalls(id, false),
                "task " + id + ": one updateJob per transition");
        assertTrue(us.violations(id).isEmpty(), us.violations(id).toString());
        List<String> transitions = audit(nodes, id).stream().filter(k -> Set.of("scheduled", "processing",
                "delivering", "ready", "error").contains(k)).toList();
        assertEquals(List.of("scheduled", "processing", "delivering", "ready"), transitions,
                "task " + id + ": each transition audited once");

        List<Caption> all = new JdbcCaptionStore(nodes.db()).finalsAfter(stream, 0);
        List<Caption> stored = FailoverEndToEndTest.deliveredPart(all, received);
        Set<Long> finalsReceived = received.stream().filter(ReceivedCaption::isFinal)
                .map(ReceivedCaption::seq).collect(Collectors.toCollection(TreeSet::new));
        Set<Long> finalsStored = stored.stream().map(Caption::seq).collect(Collectors.toCollection(TreeSet::new));
        assertEquals(finalsStored, finalsReceived, "task " + id + ": every final stored once the store was back,"
                + " and each reached Kaltura once");
        long lastFinal = finalsReceived.stream().mapToLong(Long::longValue).max().orElse(0);
        assertEquals(lastFinal, checkpoint(nodes, stream), "task " + id + ": the delivery checkpoint is the last"
                + " final Kaltura received");

        JsonNode asset = report.path("captionAsset");
        assertTrue(asset.path("validation").path("valid").asBoolean(), asset.toString());
        FailoverEndToEndTest.assetHoldsEveryFinalOnce(asset.path("content").asText(), stored, all);
    }

    private static JsonNode health(URI uri) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return JSON.readTree(r.body());
    }

    private static String address(ServeNodes nodes, String node) throws Exception {
        try (Connection c = nodes.db().connection(); PreparedStatement s = c.prepareStatement(
                "SELECT address FROM cluster_node WHERE node_id = ?")) {
            s.setString(1, node);
            try (ResultSet row = s.executeQuery()) {
                assertTrue(row.next(), node + " in cluster_node");
                return row.getString(1);
            }
        }
    }

    private static List<String> audit(ServeNodes nodes, long id) throws Exception {
        try (Connection c = nodes.db().connection(); PreparedStatement s = c.prepareStatement(
                "SELECT kind FROM task_audit WHERE region = 'us' AND task_id = ? ORDER BY id")) {
            s.setLong(1, id);
            List<String> kinds = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    kinds.add(rows.getString(1));
                }
            }
            return kinds;
        }
    }

    private static long checkpoint(ServeNodes nodes, String stream) throws Exception {
        try (Connection c = nodes.db().connection(); PreparedStatement s = c.prepareStatement(
                "SELECT confirmed_seq FROM caption_delivery WHERE stream_id = ?")) {
            s.setString(1, stream);
            try (ResultSet row = s.executeQuery()) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }
}
