package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;

import java.net.SocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A websocket client that sends what a fuzzer asks, well-formed or not (RSV bits, invalid UTF-8, fragments), over
 * any Netty transport: an in-JVM {@code LocalChannel} to the server's own pipeline, or TCP to a live server. It
 * reads everything the server answers; {@link #probe} tells when the server has handled all that was sent.
 */
final class FuzzClient implements AutoCloseable {

    /** What the server said, in order, once the probe's pong came back or the connection closed. */
    record Answers(List<JsonNode> texts, Integer closeStatus, String closeReason, boolean pong, List<String> problems) {
    }

    private record Closed(int status, String reason) {
    }

    private record Pong(long marker) {
    }

    private record Gone() {
    }

    private record Problem(String what) {
    }

    private static final AtomicLong MARKERS = new AtomicLong();

    private final Channel channel;
    private final BlockingQueue<Object> events;

    private FuzzClient(Channel channel, BlockingQueue<Object> events) {
        this.channel = channel;
        this.events = events;
    }

    /** Connects {@code bootstrap} (group and channel type set) to {@code address} and upgrades to {@code uri}. */
    static FuzzClient connect(Bootstrap bootstrap, SocketAddress address, URI uri, long timeoutMs) throws Exception {
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<Void> upgraded = new CompletableFuture<>();
        // the protocol handler says when the upgrade is complete with the frame encoder in place (writing a frame as
        // soon as the 101 is read can beat the encoder); closes and pongs are passed on to be seen, not handled
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .version(WebSocketVersion.V13).handleCloseFrames(false).dropPongFrames(false)
                .maxFramePayloadLength(4 << 20).handshakeTimeoutMillis(timeoutMs).build();
        Channel channel = bootstrap.clone().handler(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024),
                        new WebSocketClientProtocolHandler(config), new Reader(upgraded, events));
            }
        }).connect(address).sync().channel();
        upgraded.get(timeoutMs + 1_000, TimeUnit.MILLISECONDS);
        return new FuzzClient(channel, events);
    }

    /** Queues {@code message}'s frames (flushed by {@link #flush} or {@link #probe}). */
    void send(IngestInput message) {
        if (message instanceof IngestInput.Fragmented fragmented) {
            IngestInput whole = fragmented.whole();
            byte[] bytes = whole instanceof IngestInput.Text t ? t.text().getBytes(StandardCharsets.UTF_8)
                    : whole instanceof IngestInput.BadUtf8 b ? b.bytes() : ((IngestInput.Binary) whole).bytes();
            boolean text = !(whole instanceof IngestInput.Binary);
            int pieces = Math.max(1, Math.min(fragmented.pieces(), Math.max(1, bytes.length)));
            int at = 0;
            for (int i = 0; i < pieces; i++) {
                int end = i == pieces - 1 ? bytes.length : (int) ((long) bytes.length * (i + 1) / pieces);
                ByteBuf part = Unpooled.wrappedBuffer(bytes, at, end - at);
                boolean last = i == pieces - 1;
                write(i == 0 ? (text ? new TextWebSocketFrame(last, 0, part)
                        : new BinaryWebSocketFrame(last, 0, part)) : new ContinuationWebSocketFrame(last, 0, part));
                at = end;
            }
            return;
        }
        WebSocketFrame frame;
        if (message instanceof IngestInput.Text t) {
            // Java's encoder (a lone surrogate becomes '?'), so the bytes are those the oracle measured
            frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(t.text().getBytes(StandardCharsets.UTF_8)));
        } else if (message instanceof IngestInput.Binary b) {
            frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(b.bytes()));
        } else if (message instanceof IngestInput.BadUtf8 b) {
            frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(b.bytes()));
        } else if (message instanceof IngestInput.Rsv r) {
            frame = new BinaryWebSocketFrame(true, 4, Unpooled.wrappedBuffer(r.bytes())); // RSV1
        } else {
            frame = new PingWebSocketFrame(Unpooled.wrappedBuffer(new byte[((IngestInput.Ping) message).payloadBytes()]));
        }
        write(frame);
    }

    /** A write that fails other than because the server has closed is the client's bug: reported, not swallowed. */
    private void write(WebSocketFrame frame) {
        channel.write(frame).addListener(done -> {
            if (!done.isSuccess() && !(done.cause() instanceof java.io.IOException)) {
                events.add(new Problem("could not send " + frame + ": " + done.cause()));
            }
        });
    }

    void flush() {
        channel.flush();
    }

    /**
     * Sends a ping and collects the answers until its pong (the server has handled every message before it) or the
     * close; fails if neither comes within {@code timeoutMs}.
     */
    Answers probe(long timeoutMs) throws InterruptedException {
        return probe(timeoutMs, true);
    }

    /**
     * As {@link #probe(long)}; without {@code ping} it only flushes and waits for the server to close (a ping the
     * server has not read when it closes would make its kernel reset the connection, losing the answer).
     */
    Answers probe(long timeoutMs, boolean ping) throws InterruptedException {
        long marker = MARKERS.incrementAndGet();
        if (ping) {
            channel.writeAndFlush(new PingWebSocketFrame(Unpooled.copyLong(marker)));
        } else {
            channel.flush();
        }
        List<JsonNode> texts = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Integer status = null;
        String reason = null;
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (true) {
            Object event = events.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (event == null) {
                problems.add("no pong and no close within " + timeoutMs + " ms");
                return new Answers(texts, status, reason, false, problems);
            }
            if (event instanceof JsonNode json) {
                texts.add(json);
            } else if (event instanceof Closed c) {
                status = c.status();
                reason = c.reason();
            } else if (event instanceof Pong p) {
                if (p.marker() == marker) {
                    return new Answers(texts, status, reason, true, problems);
                }
            } else if (event instanceof Gone) {
                return new Answers(texts, status, reason, false, problems);
            } else if (event instanceof Problem p) {
                problems.add(p.what());
            }
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(5_000);
    }

    private static final class Reader extends SimpleChannelInboundHandler<Object> {
        private final CompletableFuture<Void> upgraded;
        private final BlockingQueue<Object> events;

        Reader(CompletableFuture<Void> upgraded, BlockingQueue<Object> events) {
            this.upgraded = upgraded;
            this.events = events;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                upgraded.complete(null);
            } else if (event == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                upgraded.completeExceptionally(new java.io.IOException("websocket handshake timed out"));
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object message) {
            if (!(message instanceof WebSocketFrame frame)) {
                events.add(new Problem("not a websocket frame: " + message));
            } else if (frame instanceof TextWebSocketFrame text) {
                try {
                    events.add(Json.MAPPER.readTree(text.text()));
                } catch (Exception e) {
                    events.add(new Problem("server sent text that is not JSON: " + text.text()));
                }
            } else if (frame instanceof CloseWebSocketFrame close) {
                events.add(new Closed(close.statusCode(), close.reasonText()));
            } else if (frame instanceof PongWebSocketFrame pong) {
                if (pong.content().readableBytes() == Long.BYTES) {
                    events.add(new Pong(pong.content().getLong(0)));
                }
            } else if (!(frame instanceof PingWebSocketFrame)) {
                events.add(new Problem("unexpected frame from the server: " + frame));
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgraded.completeExceptionally(new java.io.IOException("closed before the upgrade"));
            events.add(new Gone());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof java.io.IOException)) { // a reset after the server closed is fine
                events.add(new Problem("client side: " + cause));
            }
            ctx.close();
        }
    }
}
