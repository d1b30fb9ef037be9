package io.livecap.server;

import io.livecap.captions.Json;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.channel.Channel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;

import java.util.Map;

/**
 * The shared part of livecap's websocket endpoints: control frames, JSON text out, and closing with a status
 * after an error message. Subclasses see whole text and binary messages (fragments are aggregated upstream).
 */
abstract class WebSocketEndpoint extends SimpleChannelInboundHandler<WebSocketFrame> {

    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpoint.class);

    protected Channel channel;
    private volatile boolean closing;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    /** Called once the handshake is done and this handler is in the pipeline. */
    protected void onOpen() {
    }

    protected abstract void onText(String text);

    protected abstract void onBinary(ByteBuf data);

    /** The connection is gone, whoever closed it. */
    protected void onClosed() {
    }

    @Override
    protected final void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            if (!closing) {
                onText(text.text());
            }
        } else if (frame instanceof BinaryWebSocketFrame binary) {
            if (!closing) {
                onBinary(binary.content());
            }
        } else if (frame instanceof PingWebSocketFrame ping) {
            // a peer that does not read its pongs must not make us queue them (RFC 6455 lets us answer only the
            // latest ping anyway); reading has stopped too, see updateAutoRead
            if (ctx.channel().isWritable()) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            }
        } else if (frame instanceof CloseWebSocketFrame close) {
            closing = true;
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        }
    }

    /**
     * A frame Netty could not take is the client's mistake, closed with its status after an error message and logged
     * without a stack: too long (1009), invalid UTF-8 in text (1007), anything else malformed such as RSV bits with
     * no extension negotiated (1002). A peer that vanished (mid-message too, or whose TLS broke) is not news;
     * anything else is our bug, logged once with its stack, and the connection closed with 1011.
     */
    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException corrupt) {
            int status = corrupt.closeStatus() == null ? 1002 : corrupt.closeStatus().code();
            log.debug("websocket {}: client error {}: {}", ctx.channel().remoteAddress(), status, cause.getMessage());
            fail(status == 1009 ? "too_big" : status == 1007 ? "invalid_utf8" : "bad_frame", cause.getMessage(),
                    status);
        } else if (cause instanceof TooLongFrameException) {
            log.debug("websocket {}: client error 1009: {}", ctx.channel().remoteAddress(), cause.getMessage());
            fail("too_big", "message larger than this server takes: " + cause.getMessage(), 1009);
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException
                || cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // PrematureChannelClosureException: the peer left in the middle of a fragmented message
            log.debug("websocket {}: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        } else {
            log.warn("websocket {}: unexpected error, closing", ctx.channel().remoteAddress(), cause);
            fail("internal_error", "the server failed on this connection", 1011);
        }
    }

    /** Past the write-buffer high watermark we stop reading from the peer until it has read what is queued. */
    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        updateAutoRead();
        ctx.fireChannelWritabilityChanged();
    }

    /** Whether the endpoint's own work is behind (its recogniser, its session's backlog), so reading must wait. */
    protected boolean behind() {
        return false;
    }

    /** Reads while the peer reads what we send and the endpoint keeps up; call from the event loop. */
    protected void updateAutoRead() {
        channel.config().setAutoRead(channel.isWritable() && !behind());
    }

    /** Refuses the connection because a cap is reached: an error message, then close 1013 (try again later). */
    protected void refuseBusy(String message) {
        log.info("websocket {}: refused, server_busy: {}", channel.remoteAddress(), message);
        fail(io.livecap.session.Sessions.SERVER_BUSY, message, 1013);
    }

    @Override
    public final void channelInactive(ChannelHandlerContext ctx) {
        onClosed();
        ctx.fireChannelInactive();
    }

    protected void sendJson(Object message) {
        channel.writeAndFlush(new TextWebSocketFrame(Json.write(message)));
    }

    /** Sends {"type":"error",...} and closes with {@code status}. */
    protected void fail(String code, String message, int status) {
        if (closing) {
            return;
        }
        closing = true;
        io.micrometer.core.instrument.Metrics.counter("livecap.errors", "code", code).increment();
        channel.write(new TextWebSocketFrame(Json.write(Map.of("type", "error", "code", code, "message", message))));
        close(status, code);
    }

    protected void close(int status, String reason) {
        closing = true;
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    protected boolean isClosing() {
        return closing;
    }
}
