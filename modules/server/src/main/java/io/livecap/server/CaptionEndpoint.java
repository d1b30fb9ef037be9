package io.livecap.server;

import io.livecap.captions.Json;
import io.livecap.audio.HealthEvent;
import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionFeed;
import io.livecap.delivery.CaptionHub;
import io.livecap.delivery.CaptionSubscriber;
import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /v1/captions/{streamId}?from_seq=N}: one JSON message per caption, then eos. A subscriber that cannot keep
 * up loses partials (the next one supersedes them anyway) but never finals; past {@link #MAX_PENDING_BYTES} of
 * unsent data it is closed and can reconnect with {@code from_seq}.
 */
final class CaptionEndpoint extends WebSocketEndpoint implements CaptionSubscriber {

    private static final Logger log = LoggerFactory.getLogger(CaptionEndpoint.class);
    private static final long MAX_PENDING_BYTES = 16L << 20;

    private final CaptionHub hub;
    private final String streamId;
    private final long fromSeq;
    private final ConnectionCap cap;
    private final int maxPerStream;
    private boolean holdsSlot;
    private volatile CaptionFeed feed; // held from a successful subscribe until the connection closes

    CaptionEndpoint(CaptionHub hub, String streamId, long fromSeq, ServerContext context) {
        this.hub = hub;
        this.streamId = streamId;
        this.fromSeq = fromSeq;
        this.cap = context.subscriberCap();
        this.maxPerStream = context.limits().maxSubscribersPerStream();
    }

    /** Takes a subscriber slot, and one on the stream; only then is the stream's feed held (and made if new). */
    @Override
    protected void onOpen() {
        if (!cap.tryTake()) {
            refuseBusy(cap.busyMessage());
            return;
        }
        holdsSlot = true;
        CaptionFeed held = hub.feed(streamId);
        feed = held;
        log.info("stream {}: caption subscriber {} (from_seq {})", streamId, channel.remoteAddress(),
                fromSeq < 0 ? "-" : fromSeq);
        if (!held.subscribe(this, fromSeq, maxPerStream)) {
            refuseBusy("stream " + streamId + " already has " + maxPerStream
                    + " caption subscribers (its limit); try again later");
        }
    }

    @Override
    public void onCaption(Caption caption) {
        if (!caption.isFinal() && !channel.isWritable()) {
            return;
        }
        if (channel.unsafe().outboundBuffer() != null
                && channel.unsafe().outboundBuffer().totalPendingWriteBytes() > MAX_PENDING_BYTES) {
            unsubscribe();
            close(1008, "subscriber too slow; reconnect with from_seq");
            return;
        }
        channel.writeAndFlush(new TextWebSocketFrame(Json.write(caption)));
    }

    @Override
    public void onHealth(HealthEvent event) {
        channel.writeAndFlush(new TextWebSocketFrame(Json.write(event)));
    }

    @Override
    public void onEndOfStream(String streamId, long lastSeq, String reason) {
        Map<String, Object> eos = new LinkedHashMap<>();
        eos.put("type", "eos");
        eos.put("stream_id", streamId);
        eos.put("seq", lastSeq);
        eos.put("reason", reason);
        sendJson(eos);
        unsubscribe();
        close(1000, "end of stream");
    }

    @Override
    protected void onText(String text) {
        // subscribers have nothing to say; ignore keep-alive chatter
    }

    @Override
    protected void onBinary(ByteBuf data) {
        fail("unexpected_binary", "the caption websocket takes no binary messages", 1003);
    }

    private void unsubscribe() {
        CaptionFeed held = feed;
        if (held != null) {
            held.unsubscribe(this);
        }
    }

    @Override
    protected void onClosed() {
        CaptionFeed held = feed;
        feed = null;
        if (held != null) {
            held.unsubscribe(this);
            hub.release(held);
        }
        if (holdsSlot) {
            holdsSlot = false;
            cap.release();
        }
    }

    @Override
    public String toString() {
        return "subscriber " + (channel == null ? "?" : channel.remoteAddress());
    }
}
