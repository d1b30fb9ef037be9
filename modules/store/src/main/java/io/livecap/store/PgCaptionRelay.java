package io.livecap.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionRelay;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The caption relay over PostgreSQL LISTEN/NOTIFY: no broker to run, and a notice is sent by the node that owns the
 * stream once the final it names is committed, so a follower that reads the store on a notice always finds it.
 * Notices are small (PostgreSQL caps a payload at 8000 bytes): node, stream, seq, whether final, and a partial's
 * JSON when it fits; a final is read back from the store by seq. One channel per stream (a hash of the schema and the
 * id, so tests in other schemas of one database do not hear each other), listened to only while this node has
 * subscribers for it. One connection listens; it is reopened when the database comes back, and every followed
 * stream is then told to catch up ({@link Notice#resync}).
 */
public final class PgCaptionRelay implements CaptionRelay, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PgCaptionRelay.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PostgreSQL's payload limit is 8000 bytes; room for the envelope's own fields is kept below it. */
    static final int MAX_PAYLOAD_BYTES = 7_900;
    private static final long POLL_MS = 200;
    private static final long FOLLOW_WAIT_MS = 5_000;

    private record Command(String sql, CompletableFuture<Void> done) {
    }

    private record Followed(String streamId, List<Consumer<Notice>> sinks) {
    }

    private final Database db;
    private final String nodeId;
    private final String scope;
    private final Map<String, Followed> followed = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Command> commands = new LinkedBlockingQueue<>();
    private final ThreadPoolExecutor sender;
    private final ThreadPoolExecutor dispatcher;
    private final Thread listener;
    private final Counter sent = Metrics.counter("livecap.relay.notices", "direction", "sent");
    private final Counter received = Metrics.counter("livecap.relay.notices", "direction", "received");
    private final Counter dropped = Metrics.counter("livecap.relay.notices", "direction", "dropped");
    private volatile boolean connected;
    private volatile boolean running = true;

    public PgCaptionRelay(Database db, String nodeId) {
        if (db.kind() != Database.Kind.POSTGRESQL) {
            throw new IllegalArgumentException("the caption relay needs PostgreSQL, not " + db.kind());
        }
        this.db = db;
        this.nodeId = nodeId;
        this.scope = scope(db);
        // bounded: a store that is down (or slow) costs notices, which followers make up by reading the store
        this.sender = daemonPool("caption-relay-send", 10_000);
        // notices are handed to the feeds on their own thread: a feed's lock must never hold up the listener,
        // which runs the LISTEN a feed waits for while holding it
        this.dispatcher = daemonPool("caption-relay-dispatch", 10_000);
        this.listener = new Thread(this::listen, "caption-relay-listen");
        this.listener.setDaemon(true);
    }

    public PgCaptionRelay start() {
        listener.start();
        return this;
    }

    private static ThreadPoolExecutor daemonPool(String name, int queue) {
        return new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.DiscardPolicy());
    }

    private static String scope(Database db) {
        try (Connection c = db.connection(); Statement s = c.createStatement();
             ResultSet row = s.executeQuery("SELECT current_database() || '/' || current_schema()")) {
            row.next();
            return row.getString(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the database's name for the caption relay", e);
        }
    }

    /** The stream's channel: an identifier PostgreSQL takes unquoted (lower case, 48 characters). */
    String channel(String streamId) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest((scope + "\0" + streamId).getBytes(StandardCharsets.UTF_8));
            return "livecap_" + HexFormat.of().formatHex(hash, 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void published(String streamId, Caption caption) {
        ObjectNode notice = envelope(streamId, caption.seq());
        notice.put("f", caption.isFinal());
        if (!caption.isFinal()) {
            try {
                notice.put("c", JSON.writeValueAsString(caption));
            } catch (Exception e) {
                return;
            }
        }
        String payload = notice.toString();
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            if (!caption.isFinal()) {
                dropped.increment(); // an oversized partial: the next one (or the final) supersedes it
                return;
            }
            // unreachable for a sane stream id; a final's notice without the caption is all followers need
        }
        notify(streamId, payload);
    }

    @Override
    public void ended(String streamId, long lastSeq, String reason) {
        ObjectNode notice = envelope(streamId, lastSeq);
        notice.put("e", reason == null ? "" : reason);
        notify(streamId, notice.toString());
    }

    private ObjectNode envelope(String streamId, long seq) {
        ObjectNode notice = JSON.createObjectNode();
        notice.put("n", nodeId);
        notice.put("s", streamId);
        notice.put("q", seq);
        return notice;
    }

    private void notify(String streamId, String payload) {
        if (!connected) {
            // the database is away: followers catch up from the store when it is back (they resync)
            dropped.increment();
            return;
        }
        String channel = channel(streamId);
        sender.execute(() -> {
            try (Connection c = db.connection(); PreparedStatement p = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                p.setString(1, channel);
                p.setString(2, payload);
                p.execute();
                sent.increment();
            } catch (SQLException e) {
                dropped.increment();
                log.debug("stream {}: notice not sent: {}", streamId, e.getMessage());
            }
        });
    }

    @Override
    public String ownerElsewhere(String streamId) {
        try (Connection c = db.connection(); PreparedStatement q = c.prepareStatement("SELECT owner FROM lease"
                + " WHERE resource = ? AND owner <> ? AND expires_at > CURRENT_TIMESTAMP")) {
            q.setString(1, "stream:" + streamId);
            q.setString(2, nodeId);
            try (ResultSet row = q.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        } catch (SQLException e) {
            log.warn("stream {}: cannot tell which node has it live: {}", streamId, e.getMessage());
            return null;
        }
    }

    @Override
    public AutoCloseable follow(String streamId, Consumer<Notice> sink) {
        String channel = channel(streamId);
        boolean[] first = {false};
        followed.compute(channel, (ch, existing) -> {
            Followed f = existing != null ? existing : new Followed(streamId, new CopyOnWriteArrayList<>());
            first[0] = f.sinks().isEmpty();
            f.sinks().add(sink);
            return f;
        });
        if (first[0]) {
            run("LISTEN " + channel, streamId);
        }
        return () -> {
            boolean[] last = {false};
            followed.computeIfPresent(channel, (ch, f) -> {
                f.sinks().remove(sink);
                last[0] = f.sinks().isEmpty();
                return last[0] ? null : f;
            });
            if (last[0]) {
                commands.add(new Command("UNLISTEN " + channel, new CompletableFuture<>()));
            }
        };
    }

    /** Runs a LISTEN on the listening connection and waits for it; if the database is away, the reconnect does it. */
    private void run(String sql, String streamId) {
        Command command = new Command(sql, new CompletableFuture<>());
        commands.add(command);
        if (!connected) {
            return; // the database is away: the reconnect listens to every followed stream, then they catch up
        }
        try {
            command.done().get(FOLLOW_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            log.warn("stream {}: not listening to its owner yet ({}); catching up once the relay is back", streamId,
                    e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Whether the listening connection is up (for health). */
    public boolean connected() {
        return connected;
    }

    private void listen() {
        boolean again = false;
        long backoffMs = 200;
        while (running) {
            try (Connection c = db.connection()) {
                c.setAutoCommit(true);
                PGConnection pg = c.unwrap(PGConnection.class);
                try (Statement s = c.createStatement()) {
                    for (String channel : followed.keySet()) {
                        s.execute("LISTEN " + channel);
                    }
                }
                // what was asked while away is covered by the map just listened to
                for (Command pending; (pending = commands.poll()) != null; ) {
                    pending.done().complete(null);
                }
                connected = true;
                backoffMs = 200;
                if (again) {
                    log.info("caption relay: back on the database; {} followed streams catch up", followed.size());
                    for (Followed f : followed.values()) {
                        hand(f, Notice.resync(f.streamId()));
                    }
                }
                again = true;
                while (running) {
                    for (Command command; (command = commands.poll()) != null; ) {
                        try (Statement s = c.createStatement()) {
                            s.execute(command.sql());
                            command.done().complete(null);
                        } catch (SQLException e) {
                            command.done().completeExceptionally(e);
                            throw e;
                        }
                    }
                    PGNotification[] notices = pg.getNotifications((int) POLL_MS);
                    if (notices != null) {
                        for (PGNotification n : notices) {
                            received(n);
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (connected || !again) {
                    log.warn("caption relay: lost the database ({}); retrying", e.getMessage());
                }
                connected = false;
                again = true;
                if (!running) {
                    return;
                }
                try {
                    Thread.sleep(backoffMs); // the retry's back-off, not a synchronisation
                } catch (InterruptedException interrupted) {
                    return;
                }
                backoffMs = Math.min(2_000, backoffMs * 2);
            }
        }
    }

    private void received(PGNotification n) {
        Followed f = followed.get(n.getName());
        if (f == null) {
            return;
        }
        try {
            JsonNode notice = JSON.readTree(n.getParameter());
            if (nodeId.equals(notice.path("n").asText()) || !f.streamId().equals(notice.path("s").asText())) {
                return;
            }
            received.increment();
            long seq = notice.path("q").asLong();
            Notice relayed;
            if (notice.has("e")) {
                relayed = new Notice(f.streamId(), seq, true, null, notice.path("e").asText());
            } else if (notice.path("f").asBoolean()) {
                relayed = new Notice(f.streamId(), seq, true, null, null);
            } else {
                relayed = new Notice(f.streamId(), seq, false,
                        JSON.readValue(notice.path("c").asText(), Caption.class), null);
            }
            hand(f, relayed);
        } catch (Exception e) {
            log.warn("caption relay: an unreadable notice on {}: {}", n.getName(), e.toString());
        }
    }

    private void hand(Followed f, Notice notice) {
        dispatcher.execute(() -> f.sinks().forEach(sink -> sink.accept(notice)));
    }

    @Override
    public void close() {
        running = false;
        listener.interrupt();
        try {
            listener.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        sender.shutdown();
        dispatcher.shutdown();
        try {
            sender.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
