package io.livecap.delivery;

import io.livecap.captions.Caption;
import io.livecap.reach.Secret;
import io.livecap.captions.Json;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.delivery.StoreException;
import io.micrometer.core.instrument.Metrics;
import org.java_websocket.WebSocket;
import org.java_websocket.client.WebSocketClient;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.exceptions.WebsocketNotConnectedException;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.framing.Framedata;
import org.java_websocket.framing.PingFrame;
import org.java_websocket.handshake.ServerHandshake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Pushes one stream's caption messages to the websocket at a Kaltura REACH live event's {@code captionUrl},
 * authenticated with its {@code captionToken}: every caption (partials too) in seq order, then eos; across dropped
 * connections and livecap restarts.
 * <p>
 * <b>Receipt.</b> Kaltura acknowledges nothing that we know of, so receipt is proved with the websocket's own ping:
 * after each final, after eos, and every {@code pingInterval} when idle, a ping goes out carrying an id, which
 * RFC 6455 has the server echo in its pong. One TCP connection delivers frames in order and a server reads them in
 * order, so a pong proves that the server read everything written before its ping. The highest seq so proved is
 * the <i>confirmed seq</i>. The highest confirmed <i>final</i> is kept in {@link DeliveryCheckpoints}, so a restart
 * resumes from it: a final's, because a restarted feed numbers on from its last stored final and gives the seqs
 * of the partials after it out again.
 * <p>
 * <b>Guarantee.</b> Each connection carries strictly increasing seqs. Whenever a connection opens (the first one
 * after a restart included) the stored finals after the confirmed seq are resent from the {@link CaptionStore}, then
 * live captions follow: no final is skipped, and a confirmed final is never sent again. Partials are live only: those
 * of an outage are dropped, except the newest if its utterance is still open. A ping left unanswered for
 * {@code pongTimeout} means the connection is dead; it is dropped and made again, with capped, jittered backoff
 * that starts again from the shortest only once a connection's first pong has come back (a server that takes the
 * handshake and then closes is not hammered).
 * <p>
 * <b>Residual risk.</b> A final that reached Kaltura while its pong was still on the way back when the connection
 * died is sent again on the next connection, so Kaltura sees that seq twice (the same message both times, so it
 * can drop the second). A ping after every final keeps the window to about one round trip; only an acknowledgement
 * from Kaltura could close it.
 * <p>
 * Threads: the feed calls in on the session thread and only queues; one worker thread per push owns the push's
 * state and makes every socket call (Java-WebSocket writes on a thread of its own), so the session thread never
 * waits for the network.
 */
public final class KalturaCaptionPusher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KalturaCaptionPusher.class);
    /** How Java-WebSocket reports an HTTP answer other than 101 to the handshake. */
    private static final Pattern HTTP_REFUSAL = Pattern.compile("Invalid status code received: (401|403)\\b");
    private static final Duration CLOSE_HANDSHAKE = Duration.ofSeconds(2);

    /** What a ping's pong proves: every message up to {@code seq}, its last final {@code finalSeq}, eos if {@code eos}. */
    private record Mark(long seq, long finalSeq, boolean eos, long sentNanos) {
    }

    private final CaptionFeed feed;
    private final CaptionStore store;
    private final DeliveryCheckpoints checkpoints;
    private final URI captionUrl;
    private final Secret token;
    private final String destination;
    private final PushSettings settings;
    private final String streamId;
    private final ScheduledThreadPoolExecutor worker;
    private final CompletableFuture<PushResult> finished = new CompletableFuture<>();
    private final CaptionSubscriber subscriber = new FeedListener();
    private final Object confirmations = new Object();

    // the worker thread's own state
    private volatile long confirmedSeq;
    private long confirmedFinalSeq;
    private long acceptedSeq;
    /** The highest final among them (worker thread only). */
    private long acceptedFinalSeq;
    private Caption pendingPartial;
    private long endSeq = -1;
    private Link link;
    private Link closing;
    private int failures;
    private volatile int connections; // written by the worker, read by the console
    private ScheduledFuture<?> retry;
    private boolean done;

    private KalturaCaptionPusher(CaptionFeed feed, CaptionStore store, DeliveryCheckpoints checkpoints,
                                 URI captionUrl, Secret token, PushSettings settings) {
        if (captionUrl.getHost() == null || !("ws".equals(captionUrl.getScheme())
                || "wss".equals(captionUrl.getScheme()))) {
            throw new IllegalArgumentException("a captionUrl is a ws:// or wss:// URL, got " + destination(captionUrl));
        }
        this.feed = feed;
        this.store = store;
        this.checkpoints = checkpoints;
        this.captionUrl = captionUrl;
        this.token = token;
        this.destination = destination(captionUrl);
        this.settings = settings;
        this.streamId = feed.streamId();
        this.worker = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "kaltura-push-" + streamId);
            thread.setDaemon(true);
            return thread;
        });
        worker.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Starts pushing {@code feed} to {@code captionUrl}, resuming after the seq {@code checkpoints} holds for it
     * (0 the first time). Returns at once; the connection is made on the push's own thread.
     */
    public static KalturaCaptionPusher start(CaptionFeed feed, CaptionStore store, DeliveryCheckpoints checkpoints,
                                             URI captionUrl, Secret captionToken, PushSettings settings) {
        KalturaCaptionPusher pusher = new KalturaCaptionPusher(feed, store, checkpoints, captionUrl, captionToken,
                settings);
        pusher.begin();
        return pusher;
    }

    private void begin() {
        confirmedFinalSeq = checkpoints.confirmedSeq(streamId, destination);
        confirmedSeq = confirmedFinalSeq;
        // no replay from the feed: every connection replays from the store itself, subscribed first so that a
        // final stored after that read reaches us live
        feed.subscribe(subscriber, -1);
        log.info("stream {} -> {}: pushing captions, resuming after confirmed seq {} (token as {}, {})", streamId,
                destination, confirmedSeq, settings.tokenPlacement(), settings.cutoff());
        worker.execute(guarded(this::connect));
        long every = settings.pingInterval().toMillis();
        worker.scheduleWithFixedDelay(guarded(this::keepAlive), every, every, TimeUnit.MILLISECONDS);
    }

    /** The captionUrl as logged and as the checkpoint's key: without its query, where a token may ride. */
    public String destination() {
        return destination;
    }

    /** The highest seq the destination confirmed. */
    public long confirmedSeq() {
        return confirmedSeq;
    }

    /** How many connections to the captionUrl this push has opened (1 when nothing broke). */
    public int connections() {
        return connections;
    }

    /** How the push ended; empty while it is still pushing. */
    public java.util.Optional<PushResult> result() {
        return java.util.Optional.ofNullable(finished.getNow(null));
    }

    /** Waits until the destination confirmed {@code seq}; false on timeout or if the push ended first. */
    public boolean awaitConfirmed(long seq, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (confirmations) {
            while (confirmedSeq < seq) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || finished.isDone()) {
                    return confirmedSeq >= seq;
                }
                TimeUnit.NANOSECONDS.timedWait(confirmations, left);
            }
            return true;
        }
    }

    /**
     * Waits until the destination confirmed every final this push has taken so far (a node handing its streams over
     * lets their last finals arrive before it lets go, so the next owner has nothing to send again); false on
     * timeout or if the push ended first. The check is queued behind the captions already posted to the push.
     */
    public boolean awaitFinalsConfirmed(Duration timeout) throws InterruptedException {
        if (finished.isDone()) {
            return false;
        }
        CompletableFuture<Long> last = new CompletableFuture<>();
        post(() -> last.complete(acceptedFinalSeq));
        long seq;
        try {
            seq = last.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
        return seq <= 0 || awaitConfirmed(seq, timeout);
    }

    /** Completes when the push ends: eos confirmed, refused, stopped or closed. */
    public CompletableFuture<PushResult> finished() {
        return finished.copy();
    }

    /**
     * Ends the push: takes nothing more from the feed, delivers what is owed (stored finals up to the feed's last
     * seq) and eos, and waits up to {@code grace} for eos to be confirmed before disconnecting. If the stream has
     * already ended this only sets the deadline. Idempotent; returns {@link #finished()}.
     */
    public CompletableFuture<PushResult> stop(Duration grace) {
        post(() -> {
            if (done) {
                return;
            }
            end(Math.max(acceptedSeq, feed.lastSeq()), "stopped by livecap");
            worker.schedule(guarded(() -> finish(PushResult.Outcome.INCOMPLETE,
                    "eos not confirmed within " + grace.toMillis() + " ms")), grace.toMillis(), TimeUnit.MILLISECONDS);
        });
        return finished();
    }

    /** Disconnects now, without eos: the stream is not over for Kaltura, and a new push resumes from the checkpoint. */
    @Override
    public void close() {
        post(() -> finish(PushResult.Outcome.INCOMPLETE, "closed before eos was confirmed"));
        try {
            finished.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.warn("stream {} -> {}: did not close within 10 s", streamId, destination);
        }
    }

    // ---- on the worker thread ----

    private void connect() {
        if (done) {
            return;
        }
        TokenPlacement placement = settings.tokenPlacement();
        Link next = new Link(placement.uri(captionUrl, token), placement.headers(token));
        link = next;
        next.connect();
        Duration handshake = settings.connectTimeout().multipliedBy(2);
        worker.schedule(guarded(() -> {
            if (link == next && !next.ready) {
                next.kill("no websocket handshake within " + handshake.toMillis() + " ms");
            }
        }), handshake.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void opened(Link opened) {
        if (opened != link || done) {
            opened.kill("superseded");
            return;
        }
        opened.ready = true;
        connections++;
        opened.sentSeq = confirmedSeq;
        opened.sentFinalSeq = confirmedFinalSeq;
        opened.resumedAfter = confirmedSeq;
        try {
            opened.resent = catchUp(opened);
        } catch (StoreException e) {
            opened.kill("cannot read the stored finals: " + e.getMessage());
            return;
        }
        Metrics.counter("livecap.kaltura.push.resent").increment(opened.resent);
        if (ended()) {
            sendEos(opened);
            return;
        }
        if (pendingPartial != null && pendingPartial.seq() > opened.sentSeq) {
            write(opened, pendingPartial);
        }
        pendingPartial = null;
        ping(opened);
    }

    /** Sends the stored finals after what this connection has had, up to the end if there is one. */
    private int catchUp(Link to) {
        long bound = ended() ? endSeq : Long.MAX_VALUE;
        List<Caption> stored = store.finalsAfter(streamId, to.sentSeq);
        int sent = 0;
        for (Caption fin : stored) {
            if (fin.seq() > bound) {
                break;
            }
            if (!settings.cutoff().excludes(fin)) {
                write(to, fin);
                acceptedSeq = Math.max(acceptedSeq, fin.seq());
                acceptedFinalSeq = Math.max(acceptedFinalSeq, fin.seq());
                sent++;
            }
        }
        return sent;
    }

    private void take(Caption caption) {
        if (done || ended()) {
            return; // after the end the store has every final still owed; catchUp sent them
        }
        if (settings.cutoff().excludes(caption)) {
            if (caption.isFinal()) {
                // finals start in order: nothing inside the slot can follow this one
                end(caption.seq() - 1, "the ordered slot ended");
            }
            return;
        }
        acceptedSeq = Math.max(acceptedSeq, caption.seq());
        if (caption.isFinal()) {
            acceptedFinalSeq = Math.max(acceptedFinalSeq, caption.seq());
        }
        pendingPartial = caption.isFinal() ? null : caption;
        Link to = link;
        if (to != null && to.ready && caption.seq() > to.sentSeq) {
            write(to, caption);
            pendingPartial = null;
            if (caption.isFinal()) {
                ping(to);
            }
        }
    }

    private void end(long lastSeq, String reason) {
        if (ended() || done) {
            return;
        }
        endSeq = lastSeq;
        feed.unsubscribe(subscriber);
        log.info("stream {} -> {}: {}; eos after seq {}", streamId, destination, reason, lastSeq);
        Link to = link;
        if (to != null && to.ready) {
            try {
                catchUp(to);
            } catch (StoreException e) {
                to.kill("cannot read the stored finals: " + e.getMessage());
                return;
            }
            sendEos(to);
        }
    }

    private boolean ended() {
        return endSeq >= 0;
    }

    private void sendEos(Link to) {
        // the contract's eos, without livecap's reason for ending: that is for our logs, not the partner's
        Map<String, Object> eos = new LinkedHashMap<>();
        eos.put("type", "eos");
        eos.put("stream_id", streamId);
        eos.put("seq", endSeq);
        try {
            to.send(Json.write(eos));
            to.eosSent = true;
        } catch (WebsocketNotConnectedException e) {
            return; // the close that follows reconnects, and the next connection sends eos
        }
        ping(to);
    }

    private void write(Link to, Caption caption) {
        try {
            to.send(Json.write(caption));
            Metrics.counter("livecap.kaltura.push.sent").increment();
            to.sentSeq = caption.seq();
            if (caption.isFinal()) {
                to.sentFinalSeq = caption.seq();
            }
        } catch (WebsocketNotConnectedException e) {
            // the close that follows reconnects, and the next connection resends it
        }
    }

    private void ping(Link to) {
        long id = ++to.pingCount;
        to.pings.put(id, new Mark(to.sentSeq, to.sentFinalSeq, to.eosSent, System.nanoTime()));
        PingFrame ping = new PingFrame();
        ping.setPayload(ByteBuffer.wrap(Long.toString(id).getBytes(StandardCharsets.US_ASCII)));
        try {
            to.sendFrame(ping);
        } catch (WebsocketNotConnectedException e) {
            // as in write
        }
    }

    private void ponged(Link from, long id) {
        Mark mark = from.pings.get(id);
        if (from != link || mark == null) {
            return;
        }
        from.pings.headMap(id, true).clear();
        if (!from.accepted) {
            // only now is the connection good: a server may take the handshake, then refuse the token
            from.accepted = true;
            failures = 0;
            log.info("stream {} -> {}: connected (connection {}); resent {} stored finals after confirmed seq {},"
                    + " now live", streamId, destination, connections, from.resent, from.resumedAfter);
        }
        confirm(mark);
        if (mark.eos()) {
            finish(PushResult.Outcome.DELIVERED, "eos confirmed");
        }
    }

    private void confirm(Mark mark) {
        if (mark.seq() > confirmedSeq) {
            synchronized (confirmations) {
                confirmedSeq = mark.seq();
                confirmations.notifyAll();
            }
        }
        if (mark.finalSeq() <= confirmedFinalSeq) {
            return;
        }
        confirmedFinalSeq = mark.finalSeq();
        try {
            checkpoints.confirm(streamId, destination, confirmedFinalSeq);
        } catch (StoreException e) {
            log.warn("stream {} -> {}: cannot persist confirmed seq {} ({}); a restart now would resend from an"
                    + " older one", streamId, destination, confirmedFinalSeq, e.getMessage());
        }
    }

    private void keepAlive() {
        Link to = link;
        if (to == null || !to.ready) {
            return;
        }
        Map.Entry<Long, Mark> oldest = to.pings.firstEntry();
        if (oldest == null) {
            ping(to);
            return;
        }
        long waitedMs = (System.nanoTime() - oldest.getValue().sentNanos()) / 1_000_000;
        if (waitedMs > settings.pongTimeout().toMillis()) {
            to.kill("no pong for " + waitedMs + " ms");
        }
    }

    private void closed(Link gone, int code, String reason) {
        if (gone == closing) {
            worker.shutdown();
            return;
        }
        if (gone != link || done) {
            return;
        }
        link = null;
        String why = describe(code, token.scrub(reason));
        if (code == CloseFrame.POLICY_VALIDATION || HTTP_REFUSAL.matcher(reason).find()) {
            log.error("stream {} -> {}: the captionUrl refused the connection ({}): a wrong captionToken or a"
                    + " cancelled task; not retrying", streamId, destination, why);
            finish(PushResult.Outcome.REFUSED, "refused (" + why + ")");
            return;
        }
        failures++;
        Duration delay = settings.backoff().delay(failures);
        // equal jitter: pushers cut off together by one Kaltura blip do not come back in lockstep
        long waitMs = delay.toMillis() / 2 + ThreadLocalRandom.current().nextLong(delay.toMillis() / 2 + 1);
        Metrics.counter("livecap.kaltura.push.reconnects").increment();
        log.warn("stream {} -> {}: {} ({}); reconnect attempt {} in {} ms, resuming after confirmed seq {}", streamId,
                destination, gone.accepted ? "connection lost" : "cannot connect", why, failures, waitMs, confirmedSeq);
        retry = worker.schedule(guarded(this::connect), waitMs, TimeUnit.MILLISECONDS);
    }

    private void finish(PushResult.Outcome outcome, String detail) {
        if (done) {
            return;
        }
        done = true;
        feed.unsubscribe(subscriber);
        if (retry != null) {
            retry.cancel(false);
        }
        PushResult result = new PushResult(streamId, outcome, confirmedSeq, connections, detail);
        if (outcome == PushResult.Outcome.DELIVERED) {
            log.info("stream {} -> {}: delivered, eos confirmed after seq {} ({} connection(s))", streamId,
                    destination, endSeq, connections);
        } else if (outcome == PushResult.Outcome.INCOMPLETE) {
            log.warn("stream {} -> {}: stopped, {}; confirmed up to seq {}, where a new push resumes", streamId,
                    destination, detail, confirmedSeq);
        }
        Link last = link;
        link = null;
        if (last == null) {
            worker.shutdown();
        } else {
            closing = last;
            if (last.ready) {
                last.close(outcome == PushResult.Outcome.DELIVERED ? CloseFrame.NORMAL : CloseFrame.GOING_AWAY,
                        outcome == PushResult.Outcome.DELIVERED ? "end of stream" : "livecap stopped");
            } else {
                last.kill("livecap stopped");
            }
            // a dead connection never answers the close: cut it, and end the worker, in any case
            worker.schedule(() -> {
                last.kill("close handshake timed out");
                worker.shutdown();
            }, CLOSE_HANDSHAKE.toMillis(), TimeUnit.MILLISECONDS);
        }
        finished.complete(result);
        synchronized (confirmations) {
            confirmations.notifyAll();
        }
    }

    private void post(Runnable action) {
        try {
            worker.execute(guarded(action));
        } catch (RejectedExecutionException e) {
            // finished: nothing is pushed any more
        }
    }

    private Runnable guarded(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException e) {
                // no stack trace: a library's message may quote the URL, and the URL may hold the token
                log.error("stream {} -> {}: push step failed: {}: {}", streamId, destination,
                        e.getClass().getSimpleName(), token.scrub(String.valueOf(e.getMessage())));
            }
        };
    }

    private static String describe(int code, String reason) {
        boolean given = reason != null && !reason.isBlank();
        return switch (code) {
            case CloseFrame.NEVER_CONNECTED -> given ? reason : "closed during the handshake";
            case CloseFrame.ABNORMAL_CLOSE -> "1006 dropped" + (given ? ": " + reason : "");
            default -> code + (given ? " " + reason : "");
        };
    }

    private static String destination(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort())
                + (url.getRawPath() == null ? "" : url.getRawPath());
    }

    @Override
    public String toString() {
        return "push of stream " + streamId + " to " + destination;
    }

    /** The subscription to the feed: on the session thread, so it only queues. */
    private final class FeedListener implements CaptionSubscriber {

        @Override
        public void onCaption(Caption caption) {
            post(() -> take(caption));
        }

        // audio health messages are livecap's own: Kaltura's websocket gets caption messages only

        @Override
        public void onEndOfStream(String id, long lastSeq, String reason) {
            post(() -> {
                if (settings.endsWithStream()) {
                    end(Math.max(acceptedSeq, lastSeq), reason);
                } else if (!done) {
                    log.info("stream {} -> {}: the stream ended ({}); pushing on until stopped", streamId,
                            destination, reason);
                }
            });
        }

        @Override
        public String toString() {
            return KalturaCaptionPusher.this.toString();
        }
    }

    /** One connection; its fields belong to the worker thread, its callbacks only queue. */
    private final class Link extends WebSocketClient {

        final NavigableMap<Long, Mark> pings = new TreeMap<>();
        long pingCount;
        long sentSeq;
        long sentFinalSeq;
        long resumedAfter;
        int resent;
        boolean ready;
        boolean accepted;
        boolean eosSent;
        private volatile String lastError = "";

        Link(URI uri, Map<String, String> headers) {
            super(uri, new Draft_6455(), headers, (int) settings.connectTimeout().toMillis());
            setConnectionLostTimeout(0); // our own pings check the connection as they confirm receipt
            setDaemon(true);
        }

        @Override
        public void onOpen(ServerHandshake handshake) {
            post(() -> opened(this));
        }

        @Override
        public void onMessage(String message) {
            // Kaltura sends nothing on this socket that we know of
        }

        @Override
        public void onWebsocketPong(WebSocket conn, Framedata frame) {
            String payload = StandardCharsets.US_ASCII.decode(frame.getPayloadData()).toString();
            if (payload.matches("[0-9]{1,18}")) {
                long id = Long.parseLong(payload);
                post(() -> ponged(this, id));
            }
        }

        @Override
        public void onError(Exception e) {
            lastError = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        }

        @Override
        public void onClose(int code, String reason, boolean remote) {
            String why = reason == null || reason.isBlank() ? lastError : reason;
            post(() -> closed(this, code, why));
        }

        /** Drops the connection at once: a dead peer would never finish a close handshake. */
        void kill(String why) {
            closeConnection(CloseFrame.ABNORMAL_CLOSE, why);
            Socket socket = getSocket();
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    // already gone
                }
            }
        }
    }
}
