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

import java.util.Map;

/**
 * The shared part of livecap's websocket endpoints: control frames, JSON text out, and closing with a status
 * after an error message. Subclasses see whole text and binary messages (fragments are aggregated upstream).
 */
abstract class WebSocketEndpoint extends SimpleChannelInboundHandler<WebSocketFrame> {

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
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame close) {
            closing = true;
            ctx.writeAndFlush(close.retainedDuplicate()).addListener(ChannelFutureListener.CLOSE);
        }
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
