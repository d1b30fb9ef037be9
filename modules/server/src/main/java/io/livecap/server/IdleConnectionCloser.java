package io.livecap.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections that have gone silent (after the {@code IdleStateHandler} before it saw nothing read for the
 * idle timeout), so half-open ones do not stay for ever. A websocket first gets a ping, since a caption subscriber
 * has nothing to say while a stream is quiet: a live peer answers, and only a second silent period closes it (1001).
 * A plain HTTP connection, or a peer that does not even read what is queued for it, is closed at once.
 */
final class IdleConnectionCloser extends ChannelDuplexHandler {

    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    private boolean pinged;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        pinged = false;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (!(event instanceof IdleStateEvent)) {
            super.userEventTriggered(ctx, event);
            return;
        }
        boolean websocket = ctx.pipeline().get("ws-endpoint") != null;
        if (websocket && !pinged) {
            pinged = true;
            // from the tail, through the websocket encoder
            ctx.channel().writeAndFlush(new PingWebSocketFrame());
            return;
        }
        log.info("{}: closing idle connection (nothing read for the idle timeout{})", ctx.channel().remoteAddress(),
                websocket ? ", nor an answer to a ping" : "");
        if (websocket && ctx.channel().isWritable()) {
            ctx.channel().writeAndFlush(new CloseWebSocketFrame(1001, "idle timeout"))
                    .addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }
}
