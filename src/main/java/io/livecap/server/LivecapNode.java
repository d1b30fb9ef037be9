package io.livecap.server;

import io.livecap.asr.EngineSelector;
import io.livecap.asr.EngineSettings;
import io.livecap.asr.SpeechEngine;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.LineBreaker;
import io.livecap.config.LivecapConfig;
import io.livecap.delivery.CaptionHub;
import io.livecap.session.Sessions;
import io.livecap.store.Database;
import io.livecap.store.JdbcCaptionStore;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;

/** A whole livecap server put together from its configuration: engine, store, sessions, Netty. */
public final class LivecapNode implements AutoCloseable {

    private final SpeechEngine engine;
    private final Database database;
    private final Sessions sessions;
    private final LivecapServer server;
    private final InetSocketAddress address;

    private LivecapNode(SpeechEngine engine, Database database, Sessions sessions, LivecapServer server,
                        InetSocketAddress address) {
        this.engine = engine;
        this.database = database;
        this.sessions = sessions;
        this.server = server;
        this.address = address;
    }

    public static LivecapNode start(LivecapConfig config) throws InterruptedException {
        SpeechEngine engine = EngineSelector.load(config.engine().name(), new EngineSettings(
                Path.of(config.engine().voskModel()), Path.of(config.engine().pocketsphinxModel())));
        return start(config, engine);
    }

    /** With an engine already loaded (tests share one across servers). The node does not close it. */
    public static LivecapNode start(LivecapConfig config, SpeechEngine engine) throws InterruptedException {
        Database database = Database.open(config.store().url());
        CaptionHub hub = new CaptionHub(new JdbcCaptionStore(database));
        LineBreaker breaker = new LineBreaker(config.captions().maxChars(), config.captions().maxLines());
        Sessions sessions = new Sessions(engine, hub, breaker,
                ChannelStrategy.parse(config.audio().channelStrategy()));
        LivecapServer server = new LivecapServer(sessions, config.ingest().maxChunkBytes(),
                config.captions().language());
        InetSocketAddress address = server.start(config.server().host(), config.server().port());
        return new LivecapNode(engine, database, sessions, server, address);
    }

    public int port() {
        return address.getPort();
    }

    /** ws://127.0.0.1:port + path, for local clients. */
    public URI url(String path) {
        return URI.create("ws://127.0.0.1:" + port() + path);
    }

    public Sessions sessions() {
        return sessions;
    }

    public SpeechEngine engine() {
        return engine;
    }

    /** Stops the server; live sessions finish their captions first. */
    @Override
    public void close() {
        server.close();
        database.close();
    }

    /** Stops the server and frees the engine's model. */
    public void closeWithEngine() {
        close();
        engine.close();
    }
}
