package io.livecap.sandbox;

import io.livecap.reach.Secret;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The partner's websockets: {@code /media/{region}/{eventId}} streams an event's live media to a vendor holding its
 * {@code mediaKey}; {@code /captions/{region}/{eventId}} takes the vendor's captions, given its {@code captionToken}.
 * The credential comes as {@code Authorization: Bearer <key>} (or, for tools that cannot set headers, a
 * {@code token} query parameter). A wrong one is closed with 1008 and reported as a violation.
 */
final class SandboxSockets extends WebSocketServer {

    private static final Logger log = LoggerFactory.getLogger(SandboxSockets.class);
    private static final int POLICY = 1008;

    /** What a connection is for. */
    private record Attachment(boolean media, SandboxRegion region, SandboxEvent event) {
    }

    private final Function<String, Optional<SandboxRegion>> regions;
    private final MediaSource media;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final CountDownLatch started = new CountDownLatch(1);
    private final Map<SandboxEvent, Set<WebSocket>> captionSockets = new ConcurrentHashMap<>();

    SandboxSockets(int port, Function<String, Optional<SandboxRegion>> regions, MediaSource media,
                   ScheduledExecutorService timer, Clock clock) {
        super(new InetSocketAddress("127.0.0.1", port));
        this.regions = regions;
        this.media = media;
        this.timer = timer;
        this.clock = clock;
        setReuseAddr(true);
        setDaemon(true);
    }

    void startAndWait() throws InterruptedException {
        start();
        if (!started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the sandbox websocket server did not start");
        }
    }

    URI base() {
        return URI.create("ws://localhost:" + getPort()); // a host name, as every Kaltura mediaUrl has
    }

    @Override
    public void onStart() {
        started.countDown();
    }

    @Override
    public void onOpen(WebSocket socket, ClientHandshake handshake) {
        URI uri = URI.create(handshake.getResourceDescriptor());
        String[] parts = uri.getPath().split("/");
        // "", "media"|"captions", region, eventId
        if (parts.length != 4 || !(parts[1].equals("media") || parts[1].equals("captions"))) {
            socket.close(POLICY, "unknown path: use /media/{region}/{eventId} or /captions/{region}/{eventId}");
            return;
        }
        boolean isMedia = parts[1].equals("media");
        Optional<SandboxRegion> region = regions.apply(parts[2]);
        Optional<SandboxEvent> event = Optional.empty();
        try {
            event = region.flatMap(r -> r.event(Long.parseLong(parts[3])));
        } catch (NumberFormatException e) {
            // not an event id: answered below
        }
        if (event.isEmpty()) {
            socket.close(POLICY, "no such event");
            return;
        }
        SandboxRegion where = region.get();
        SandboxEvent live = event.get();
        SandboxTask task = live.task;
        Secret expected = isMedia ? live.mediaKey : live.captionToken;
        String presented = credential(handshake, uri);
        if (presented == null || !expected.equals(Secret.of(presented))) {
            String what = isMedia ? "media connection with a wrong or missing mediaKey"
                    : "caption connection with a wrong or missing captionToken";
            where.noteViolation(task, what);
            if (!isMedia) {
                task.captions.rejected();
            }
            socket.close(POLICY, isMedia ? "bad media key" : "bad caption token");
            return;
        }
        if (where.isCancelled(task)) {
            where.noteViolation(task, (isMedia ? "media" : "caption") + " connection after the task was cancelled");
            socket.close(POLICY, "the task was cancelled");
            return;
        }
        if (!isMedia && where.refusesCaptions(task)) {
            socket.close(POLICY, "caption connection refused (injected fault)");
            return;
        }
        socket.setAttachment(new Attachment(isMedia, where, live));
        if (isMedia) {
            mediaOf(live).join(socket);
        } else {
            task.captions.connected();
            captionSockets.computeIfAbsent(live, e -> ConcurrentHashMap.newKeySet()).add(socket);
        }
        log.debug("sandbox {} event {}: {} connection open", live.region, live.id, isMedia ? "media" : "caption");
    }

    private static String credential(ClientHandshake handshake, URI uri) {
        String header = handshake.getFieldValue("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) && header.length() > 7) {
            return header.substring(7).strip();
        }
        String query = uri.getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                if (pair.startsWith("token=") && pair.length() > 6) {
                    return java.net.URLDecoder.decode(pair.substring(6), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        return null;
    }

    private LiveMedia mediaOf(SandboxEvent event) {
        synchronized (event) {
            if (event.media == null) {
                event.media = new LiveMedia(event, media, timer, clock);
            }
            return event.media;
        }
    }

    @Override
    public void onMessage(WebSocket socket, String message) {
        Attachment attachment = socket.getAttachment();
        if (attachment == null || attachment.media()) {
            return;
        }
        Instant now = clock.instant();
        SandboxTask task = attachment.event().task;
        CaptionLog.Message recorded = task.captions.record(message, now);
        if ("caption".equals(recorded.type())) {
            attachment.region().captionArrived(task, now, recorded.audioAt());
        }
    }

    @Override
    public void onMessage(WebSocket socket, ByteBuffer message) {
        Attachment attachment = socket.getAttachment();
        if (attachment != null && !attachment.media()) {
            attachment.event().task.captions.malformedBinary(clock.instant());
        }
    }

    @Override
    public void onClose(WebSocket socket, int code, String reason, boolean remote) {
        Attachment attachment = socket.getAttachment();
        if (attachment == null) {
            return;
        }
        if (attachment.media()) {
            mediaOf(attachment.event()).leave(socket);
        } else {
            Set<WebSocket> sockets = captionSockets.get(attachment.event());
            if (sockets != null) {
                sockets.remove(socket);
            }
            if (attachment.event().task != null) {
                attachment.event().task.captions.disconnected();
            }
        }
    }

    @Override
    public void onError(WebSocket socket, Exception e) {
        log.debug("sandbox websocket error: {}", e.getClass().getSimpleName());
    }

    /** The customer cancelled the event's task: its media and caption connections close. */
    void cancelled(SandboxEvent event) {
        LiveMedia playing;
        synchronized (event) {
            playing = event.media;
        }
        if (playing != null) {
            playing.end(POLICY, "the task was cancelled");
        }
        Set<WebSocket> sockets = captionSockets.remove(event);
        if (sockets != null) {
            sockets.forEach(socket -> socket.close(POLICY, "the task was cancelled"));
        }
    }
}
