package io.livecap.server;

import io.livecap.auth.Authenticator;
import io.livecap.delivery.StoredCaptions;
import io.livecap.session.Sessions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.micrometer.core.instrument.Metrics;
import io.livecap.alerts.AlertBoard;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The Netty server: ingest, caption and vosk websockets plus the small HTTP API, on one port. */
public final class LivecapServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LivecapServer.class);

    private final Sessions sessions;
    private final ServerContext context;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Class<? extends ServerChannel> channelType;
    private final PrometheusMeterRegistry metrics;
    private final ServerLimits limits;
    private final ConsoleWatch console;
    private final AlertBoard alerts;
    private Channel channel;
    /** null: plain HTTP and websockets only */
    private ServerTls tls;
    /** null: GET /v1/captions and DELETE /v1/captions/{id} are not served */
    private StoredCaptionsApi stored;
    /** null: a full node; else only /v1/vosk, /healthz, /metrics and /v1/worker are served */
    private WorkerRole worker;

    /**
     * @param metrics        scraped at /metrics; already added to Micrometer's global registry by the caller
     * @param authenticator  checks every request but /healthz (and /metrics unless {@code protectMetrics})
     * @param limits         connection caps, timeouts and write-buffer watermarks (the {@code limits} section)
     */
    public LivecapServer(Sessions sessions, int maxChunkBytes, String defaultLanguage, PrometheusMeterRegistry metrics,
                         Authenticator authenticator, boolean protectMetrics, ServerLimits limits) {
        this.sessions = sessions;
        this.limits = limits;
        // the transport limit sits well above the contract's chunk limit, so an oversized chunk still gets a JSON error
        int maxFrameBytes = Math.max(maxChunkBytes * 4, 1 << 20);
        String version = LivecapServer.class.getPackage().getImplementationVersion();
        this.metrics = metrics;
        this.context = new ServerContext(sessions, maxChunkBytes, maxFrameBytes, defaultLanguage, Instant.now(),
                version == null ? "dev" : version, metrics, limits,
                new ServerAccess(authenticator, protectMetrics));
        this.alerts = new AlertBoard(metrics, java.time.Clock.systemUTC());
        this.console = new ConsoleWatch(sessions, alerts, new StreamMeters(metrics));
        IoHandlerFactory io = Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.channelType = Epoll.isAvailable() ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        this.boss = new MultiThreadIoEventLoopGroup(1, io);
        this.workers = new MultiThreadIoEventLoopGroup(0, io);
    }

    /** What the console and {@code GET /v1/tasks} show of REACH tasks (none by default). */
    public LivecapServer showTasks(TaskBoard board) {
        console.showTasks(board);
        return this;
    }

    /** The node's alerts: configure them ({@code alerts.*}) before {@link #start}. */
    public AlertBoard alerts() {
        return alerts;
    }

    /** Serves TLS on the same port (call before {@link #start}). */
    public LivecapServer useTls(ServerTls tls) {
        this.tls = tls;
        return this;
    }

    /**
     * Serves the list and delete of stored captions from {@code stored} (call before {@link #start});
     * {@code needed} names the ids whose captions may not be deleted although not live (open REACH tasks').
     */
    public LivecapServer useStoredCaptions(StoredCaptions stored, java.util.function.Predicate<String> needed) {
        this.stored = new StoredCaptionsApi(stored, sessions, needed);
        return this;
    }

    /**
     * Serves as an ASR worker (call before {@link #start}): only {@code /v1/vosk}, {@code /healthz},
     * {@code /metrics} and {@code GET /v1/worker}; everything else is 404 naming the role. Its sessions and
     * capacity are the gauges {@code livecap.worker.sessions} and {@code livecap.worker.capacity}.
     */
    public LivecapServer serveAsWorker() {
        worker = new WorkerRole(context);
        io.micrometer.core.instrument.Gauge.builder("livecap.worker.sessions", context.voskCap(), ConnectionCap::open)
                .description("/v1/vosk sessions open on this worker").register(metrics);
        io.micrometer.core.instrument.Gauge.builder("livecap.worker.capacity", limits, ServerLimits::maxVoskSessions)
                .description("/v1/vosk sessions this worker takes (limits.max_vosk_sessions; 0 = no cap)")
                .register(metrics);
        return this;
    }

    /** {@code /v1/vosk} sessions open now (an ASR worker's load). */
    public int voskSessionsOpen() {
        return context.voskCap().open();
    }

    public boolean servesAsWorker() {
        return worker != null;
    }

    public boolean servesTls() {
        return tls != null;
    }

    /** Binds {@code host:port} (port 0 = any free port) and returns the bound address. */
    public InetSocketAddress start(String host, int port) throws InterruptedException {
        channel = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelType)
                // past high, a channel is not writable: endpoints stop reading from it and answer no pings
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        limits.writeBufferLowBytes(), limits.writeBufferHighBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        long idleMs = limits.idleTimeout().toMillis();
                        if (idleMs > 0) {
                            ch.pipeline()
                                    .addLast("idle", new IdleStateHandler(idleMs, 0, 0, TimeUnit.MILLISECONDS))
                                    .addLast("idle-closer", new IdleConnectionCloser());
                        }
                        if (tls != null) {
                            tls.addFirst(ch.pipeline());
                        }
                        ch.pipeline()
                                .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                                        .setMaxInitialLineLength(HttpRouter.MAX_REQUEST_LINE)
                                        .setMaxHeaderSize(HttpRouter.MAX_HEADERS)))
                                .addLast("http-aggregator", new HttpObjectAggregator(64 * 1024))
                                .addLast("router", new HttpRouter(context, stored,
                                        new ConsoleRoutes(console, context.access().logins()), worker));
                    }
                })
                .bind(host, port).sync().channel();
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        log.info("livecap {}listening on {}:{} (engine {}, {})", worker == null ? "" : "ASR worker ",
                address.getHostString(), address.getPort(), sessions.engine().name(), tls == null ? "plain HTTP" : tls.required() ? "TLS only" : "TLS or plain");
        return address;
    }

    /** Stops accepting, lets every live session finish its captions, then stops the event loops. */
    @Override
    public void close() {
        try {
            if (channel != null) {
                channel.close().sync();
            }
            sessions.endAll("server shutting down");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            console.close();
            alerts.close();
            Metrics.removeRegistry(metrics);
            boss.shutdownGracefully();
            workers.shutdownGracefully();
        }
    }
}
