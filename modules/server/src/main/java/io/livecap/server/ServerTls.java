package io.livecap.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * TLS on livecap's one port, from PEM files: a certificate chain and its private key (PKCS#8). Each connection's
 * first bytes say whether it speaks TLS; a plain one is served as before, or, when TLS is required, answered with
 * a plain-text HTTP 400 that says to use https/wss (a client talking plain HTTP could not read a TLS alert).
 */
public final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final byte[] PLAIN_REFUSED = refusal();

    private final SslContext context;
    private final boolean required;

    private ServerTls(SslContext context, boolean required) {
        this.context = context;
        this.required = required;
    }

    /** @throws IllegalArgumentException naming the files when they cannot be read as a PEM chain and key */
    public static ServerTls fromPem(Path certificateChain, Path privateKey, boolean required) {
        try {
            return new ServerTls(SslContextBuilder.forServer(certificateChain.toFile(), privateKey.toFile()).build(),
                    required);
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certificateChain + " and key "
                    + privateKey + ": " + e.getMessage(), e);
        }
    }

    public boolean required() {
        return required;
    }

    /** Puts the TLS detector first in a new connection's pipeline. */
    void addFirst(ChannelPipeline pipeline) {
        pipeline.addFirst("tls", new OptionalSslHandler(context) {
            @Override
            protected ChannelHandler newNonSslHandler(ChannelHandlerContext ctx) {
                return required ? new PlainRefusal() : null;
            }
        });
    }

    /** Answers the first plain bytes on a TLS-only port, then closes. */
    private static final class PlainRefusal extends ChannelInboundHandlerAdapter {
        private boolean answered;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            if (!answered) {
                answered = true;
                log.debug("plain connection from {} refused: TLS is required", ctx.channel().remoteAddress());
                ctx.writeAndFlush(Unpooled.wrappedBuffer(PLAIN_REFUSED)).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }

    private static byte[] refusal() {
        String body = "{\"error\":\"this port takes TLS only: use https:// or wss://\"}";
        return ("HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII);
    }
}
