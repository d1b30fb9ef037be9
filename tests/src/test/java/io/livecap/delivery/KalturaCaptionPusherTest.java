package io.livecap.delivery;

import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.TcpRelay;
import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.livecap.captions.Caption;
import io.livecap.ingest.Backoff;
import io.livecap.reach.Secret;
import io.livecap.delivery.CaptionStore;
import io.livecap.store.Database;
import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.store.JdbcCaptionStore;
import io.livecap.store.JdbcDeliveryCheckpoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pushing captions to the sandbox's captionUrl over real sockets, through drops, refusals, a cut-off and a restart. */
class KalturaCaptionPusherTest {

    /** Quick enough for tests: reconnects from 50 ms doubling to 400 ms, a dead connection found within a second. */
    private static final PushSettings FAST = PushSettings.DEFAULT.withTiming(
            new Backoff(Duration.ofMillis(50), Duration.ofMillis(400)), Duration.ofMillis(100),
            Duration.ofMillis(800), Duration.ofSeconds(2));
    private static final Duration WAIT = Duration.ofSeconds(10);

    private LiveEvent event;
    private Database db;
    private CaptionStore store;
    private DeliveryCheckpoints checkpoints;
    private final List<AutoCloseable> closeLast = new ArrayList<>();

    @BeforeEach
    void partnerAndDatabase() throws Exception {
        event = LiveEvent.start();
        db = Database.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        store = new JdbcCaptionStore(db);
        checkpoints = new JdbcDeliveryCheckpoints(db);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closeLast) {
            c.close();
        }
        db.close();
        event.close();
    }

    private KalturaCaptionPusher push(CaptionFeed feed, URI captionUrl, Secret token, PushSettings settings) {
        KalturaCaptionPusher pusher = KalturaCaptionPusher.start(feed, store, checkpoints, captionUrl, token, settings);
        closeLast.add(0, pusher);
        return pusher;
    }

    private TcpRelay relay() throws Exception {
        TcpRelay relay = TcpRelay.to(event.captionUrl());
        closeLast.add(relay);
        return relay;
    }

    @ParameterizedTest
    @EnumSource(TokenPlacement.class)
    void everyCaptionArrivesOnceInSeqOrderThenEos(TokenPlacement placement) throws Exception {
        CaptionFeed feed = new CaptionFeed("ev-order", store);
        KalturaCaptionPusher pusher = push(feed, event.captionUrl(), event.captionToken(),
                FAST.withTokenPlacement(placement));
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(1, 0).seq(), WAIT), "connected");
        speech.utterances(30, 3);
        feed.end("source ended");

        PushResult result = pusher.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PushResult.Outcome.DELIVERED, result.outcome(), result.detail());
        assertEquals(speech.lastSeq(), result.confirmedSeq());
        JsonNode got = event.received();
        assertEquals(speech.published().stream().map(Caption::seq).toList(), event.receivedSeqs(),
                "every caption, partials too, each once, in seq order");
        assertEquals(31, got.path("finals").asInt());
        assertTrue(got.path("eos").asBoolean());
        assertEquals(1, got.path("connections").asInt());
        assertEquals(0, got.path("malformed").asInt());
        assertEquals(List.of(), event.violations());
    }

    @Test
    void aDroppedConnectionLosesNoFinalRepeatsNoneAndDropsTheOutagesStalePartials() throws Exception {
        TcpRelay relay = relay();
        CaptionFeed feed = new CaptionFeed("ev-drop", store);
        KalturaCaptionPusher pusher = push(feed, relay.via(event.captionUrl()), event.captionToken(), FAST);
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(5, 2).seq(), WAIT));

        relay.down();
        assertTrue(relay.awaitRefused(1, WAIT), "the pusher noticed and tries again");
        int before = speech.published().size();
        speech.utterances(5, 2);
        speech.openUtterance(3);
        List<Caption> duringOutage = speech.published().subList(before, speech.published().size());
        assertTrue(relay.awaitRefused(4, WAIT), "it keeps trying, backing off");
        long upAt = System.nanoTime();
        relay.up();
        assertTrue(pusher.awaitConfirmed(duringOutage.get(duringOutage.size() - 1).seq(), WAIT));
        long backMs = (System.nanoTime() - upAt) / 1_000_000;
        speech.finish(4);
        speech.utterances(5, 2);
        feed.end("source ended");

        assertEquals(PushResult.Outcome.DELIVERED, pusher.finished().get(10, TimeUnit.SECONDS).outcome());
        assertEveryFinalOnceInOrder(speech);
        Set<Long> received = new HashSet<>(event.receivedSeqs());
        List<Long> outagePartials = duringOutage.stream().filter(c -> !c.isFinal()).map(Caption::seq).toList();
        assertEquals(List.of(outagePartials.get(outagePartials.size() - 1)),
                outagePartials.stream().filter(received::contains).toList(),
                "of the outage's partials only the newest, of the utterance still open, is sent");
        assertEquals(2, event.received().path("connections").asInt());
        System.out.printf("connection back and the outage's 6 captions confirmed %d ms after the relay came up%n",
                backMs);
    }

    @Test
    void aSilentlyDeadConnectionIsFoundByItsMissingPongsAndItsFinalsAreResentOnce() throws Exception {
        TcpRelay relay = relay();
        CaptionFeed feed = new CaptionFeed("ev-silent", store);
        KalturaCaptionPusher pusher = push(feed, relay.via(event.captionUrl()), event.captionToken(), FAST);
        Speech speech = new Speech(feed);
        long confirmed = speech.utterances(5, 2).seq();
        assertTrue(pusher.awaitConfirmed(confirmed, WAIT));

        relay.swallowUpstream();
        long silentAt = System.nanoTime();
        Caption lost = speech.utterances(3, 2);
        assertTrue(relay.awaitRelayed(2, WAIT), "a new connection once the pongs stopped");
        long foundMs = (System.nanoTime() - silentAt) / 1_000_000;
        assertTrue(pusher.awaitConfirmed(lost.seq(), WAIT));
        speech.utterances(3, 2);
        feed.end("source ended");

        assertEquals(PushResult.Outcome.DELIVERED, pusher.finished().get(10, TimeUnit.SECONDS).outcome());
        assertEveryFinalOnceInOrder(speech);
        assertEquals(2, event.received().path("connections").asInt());
        System.out.printf("dead connection replaced %d ms after it went silent (pong timeout %d ms)%n", foundMs,
                FAST.pongTimeout().toMillis());
    }

    @Test
    void aLostPongIsTheOneWayAFinalArrivesTwice() throws Exception {
        TcpRelay relay = relay();
        CaptionFeed feed = new CaptionFeed("ev-pong", store);
        KalturaCaptionPusher pusher = push(feed, relay.via(event.captionUrl()), event.captionToken(), FAST);
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(5, 2).seq(), WAIT));
        int arrived = event.received().path("count").asInt();

        relay.swallowDownstream();
        speech.utterances(2, 2);
        assertTrue(event.awaitMessages(arrived + 6, WAIT), "Kaltura got them; their pongs never came back");
        List<Long> unconfirmed = speech.finalSeqs().subList(5, 7);
        assertTrue(relay.awaitRelayed(2, WAIT));
        feed.end("source ended");

        assertEquals(PushResult.Outcome.DELIVERED, pusher.finished().get(10, TimeUnit.SECONDS).outcome());
        assertEquals(unconfirmed, event.duplicates(),
                "exactly the finals whose pongs were lost arrive twice, none else");
        List<Long> finals = event.receivedSeqs().stream().filter(speech.finalSeqs()::contains).distinct().toList();
        assertEquals(speech.finalSeqs(), finals, "and no final is missing");
    }

    @ParameterizedTest
    @EnumSource(TokenPlacement.class)
    void aWrongTokenIsRefusedOnceAndNoTokenIsLogged(TokenPlacement placement) throws Exception {
        Secret wrong = Secret.of("not-the-token-" + UUID.randomUUID());
        PushResult result;
        List<String> lines;
        try (CapturedLogs logs = new CapturedLogs()) {
            CaptionFeed feed = new CaptionFeed("ev-token", store);
            KalturaCaptionPusher pusher = push(feed, event.captionUrl(), wrong, FAST.withTokenPlacement(placement));
            new Speech(feed).utterances(2, 1);
            result = pusher.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            lines = logs.lines();
            assertEquals(1, logs.lines(Level.ERROR, "refused the connection (1008 bad caption token)").size(), lines
                    .toString());
        }
        assertEquals(PushResult.Outcome.REFUSED, result.outcome());
        assertTrue(result.detail().contains("1008 bad caption token"), result.detail());
        JsonNode got = event.received();
        // A server that refuses sends its close frame and drops the connection at once (java-websocket's server
        // does not wait for the reply). What the pusher had already sent makes that drop a TCP reset, which can
        // take the unread close frame with it: the pusher then saw a plain 1006, rightly retried, and met the 1008
        // on the next attempt. What must hold: every refusal but the last was such a drop, and none followed.
        long drops = lines.stream().filter(l -> l.contains("cannot connect (1006")).count();
        assertEquals(1 + drops, got.path("rejectedConnections").asInt(),
                "refused, and never retried once the refusal was seen: " + lines);
        assertTrue(drops <= 2, "a drop now and then, not a retry loop: " + lines);
        assertEquals(0, got.path("connections").asInt());
        assertTrue(event.violations().get(0).contains("wrong or missing captionToken"));
        for (String secret : List.of(wrong.reveal(), event.captionToken().reveal())) {
            for (String text : concat(lines, List.of(result.toString(), result.detail()))) {
                assertFalse(text.contains(secret), "a token in: " + text);
            }
        }
    }

    @Test
    void anHttp401AtTheHandshakeIsARefusalToo() throws Exception {
        HttpServer refusing = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        refusing.createContext("/", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        refusing.start();
        try {
            CaptionFeed feed = new CaptionFeed("ev-401", store);
            KalturaCaptionPusher pusher = push(feed, URI.create("ws://127.0.0.1:" + refusing.getAddress().getPort()
                    + "/captions/us/1"), event.captionToken(), FAST);
            PushResult result = pusher.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(PushResult.Outcome.REFUSED, result.outcome());
            assertTrue(result.detail().contains("401"), result.detail());
        } finally {
            refusing.stop(0);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"stream time", "wall time"})
    void nothingThatStartsPastTheCutoffIsSent(String judgedBy) throws Exception {
        long slotMs = 10_000;
        Cutoff cutoff = judgedBy.equals("stream time") ? Cutoff.atStreamMs(slotMs)
                : Cutoff.atEpoch(Instant.ofEpochMilli(Speech.EPOCH_AT_START_MS + slotMs));
        CaptionFeed feed = new CaptionFeed("ev-cutoff", store);
        KalturaCaptionPusher pusher = push(feed, event.captionUrl(), event.captionToken(), FAST.withCutoff(cutoff));
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(1, 0).seq(), WAIT), "connected");
        speech.utterances(11, 2); // they start every 1.5 s: 1.5 ... 16.5 s

        PushResult result = pusher.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PushResult.Outcome.DELIVERED, result.outcome(), "the slot's end ends the push, eos and all");
        List<Long> inSlot = speech.published().stream().filter(c -> c.startMs() < slotMs).map(Caption::seq).toList();
        assertEquals(1 + 6 * 3, inSlot.size());
        assertEquals(inSlot, event.receivedSeqs());
        assertTrue(event.received().path("eos").asBoolean());
        feed.end("source ended"); // after the push ended: nothing more goes out
        assertEquals(inSlot, event.receivedSeqs());
    }

    @Test
    void aPusherStartedAfterARestartResumesFromThePersistedSeq(@TempDir Path dir) throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("livecap");
        Speech speech;
        long confirmedBeforeCrash;
        String destination;
        try (Database first = Database.open(url)) {
            CaptionStore firstStore = new JdbcCaptionStore(first);
            CaptionFeed feed = new CaptionFeed("ev-restart", firstStore);
            KalturaCaptionPusher pusher = KalturaCaptionPusher.start(feed, firstStore,
                    new JdbcDeliveryCheckpoints(first), event.captionUrl(), event.captionToken(), FAST);
            speech = new Speech(feed);
            confirmedBeforeCrash = speech.utterances(4, 1).seq();
            assertTrue(pusher.awaitConfirmed(confirmedBeforeCrash, WAIT));
            destination = pusher.destination();
            pusher.close();
            // stored after the push went down, as when livecap dies between storing finals and sending them
            speech.utterances(3, 1);
        }

        try (Database second = Database.open(url)) {
            CaptionStore secondStore = new JdbcCaptionStore(second);
            DeliveryCheckpoints secondCheckpoints = new JdbcDeliveryCheckpoints(second);
            assertEquals(confirmedBeforeCrash, secondCheckpoints.confirmedSeq("ev-restart", destination));
            CaptionFeed feed = new CaptionFeed("ev-restart", secondStore);
            KalturaCaptionPusher pusher = KalturaCaptionPusher.start(feed, secondStore, secondCheckpoints,
                    event.captionUrl(), event.captionToken(), FAST);
            try {
                speech.on(feed).utterances(3, 1);
                feed.end("source ended");
                PushResult result = pusher.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals(PushResult.Outcome.DELIVERED, result.outcome(), result.detail());
            } finally {
                pusher.close();
            }
        }
        assertEveryFinalOnceInOrder(speech);
        assertEquals(2, event.received().path("connections").asInt());
        assertEquals(10, event.received().path("finals").asInt());
    }

    @Test
    void aRestartNumbersPastConfirmedPartialsSoNoSeqIsSentTwice() throws Exception {
        CaptionFeed feed = new CaptionFeed("ev-reuse", store);
        KalturaCaptionPusher before = push(feed, event.captionUrl(), event.captionToken(), FAST);
        Speech speech = new Speech(feed);
        speech.utterances(2, 1);
        speech.openUtterance(2);
        assertTrue(before.awaitConfirmed(speech.lastSeq(), WAIT), "partials after the last final, confirmed");
        before.close();
        long lastIssued = speech.lastSeq();

        // a restart: the store remembers the partials' seqs too, so the new feed numbers on past them
        CaptionFeed restarted = new CaptionFeed("ev-reuse", store);
        KalturaCaptionPusher after = push(restarted, event.captionUrl(), event.captionToken(), FAST);
        speech.on(restarted);
        assertEquals(lastIssued, speech.lastSeq(), "no seq the destination saw is handed out again");
        speech.utterances(2, 1);
        restarted.end("source ended");

        assertEquals(PushResult.Outcome.DELIVERED, after.finished().get(WAIT.toSeconds(), TimeUnit.SECONDS)
                .outcome());
        assertEquals(speech.finalSeqs().size(), event.received().path("finals").asInt(), "no final skipped");
        assertTrue(event.duplicates().isEmpty(), "no seq twice: " + event.duplicates());
    }

    @Test
    void stopDeliversWhatIsOwedThenEosAndIsIdempotent() throws Exception {
        CaptionFeed feed = new CaptionFeed("ev-stop", store);
        KalturaCaptionPusher pusher = push(feed, event.captionUrl(), event.captionToken(), FAST);
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(1, 0).seq(), WAIT), "connected");
        speech.utterances(3, 2);
        speech.openUtterance(2);
        assertTrue(pusher.awaitConfirmed(speech.lastSeq(), WAIT), "an idle connection's ping confirms partials too");

        PushResult first = pusher.stop(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        PushResult again = pusher.stop(Duration.ZERO).get(1, TimeUnit.SECONDS);
        assertEquals(PushResult.Outcome.DELIVERED, first.outcome(), first.detail());
        assertEquals(first, again);
        assertTrue(event.received().path("eos").asBoolean());
        speech.finish(3);
        assertEquals(speech.published().subList(0, 12).stream().map(Caption::seq).toList(), event.receivedSeqs(),
                "nothing after the stop");
    }

    @Test
    void runningUntilStoppedASourceThatFailsAndIsReopenedCostsKalturaNoEarlyEos() throws Exception {
        CaptionFeed feed = new CaptionFeed("ev-reopen", store);
        KalturaCaptionPusher pusher = push(feed, event.captionUrl(), event.captionToken(), FAST.untilStopped());
        Speech speech = new Speech(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(3, 1).seq(), WAIT));
        feed.end("pull failed: connection reset");
        speech.on(feed);
        assertTrue(pusher.awaitConfirmed(speech.utterances(3, 1).seq(), WAIT), "the reopened stream goes on");
        // an eos for the end would have been sent, and read, before these captions
        assertFalse(event.received().path("eos").asBoolean());

        PushResult result = pusher.stop(WAIT).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(PushResult.Outcome.DELIVERED, result.outcome(), result.detail());
        assertEveryFinalOnceInOrder(speech);
        assertEquals(1, event.received().path("connections").asInt());
    }

    private void assertEveryFinalOnceInOrder(Speech speech) {
        JsonNode got = event.received();
        assertEquals(List.of(), event.duplicates(), "no seq twice");
        assertEquals(0, got.path("outOfOrder").asInt());
        assertTrue(got.path("eos").asBoolean());
        List<Long> received = event.receivedSeqs();
        assertEquals(speech.finalSeqs(), received.stream().filter(speech.finalSeqs()::contains).toList(),
                "every final once, in order");
        Set<Long> partials = new HashSet<>(speech.published().stream().filter(c -> !c.isFinal())
                .map(Caption::seq).toList());
        speech.published().stream().map(Caption::seq).filter(seq -> !received.contains(seq))
                .forEach(missing -> assertTrue(partials.contains(missing), "only partials may be missing: " + missing));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
