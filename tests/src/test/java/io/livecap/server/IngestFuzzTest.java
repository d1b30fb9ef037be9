package io.livecap.server;

import io.livecap.audio.ChannelStrategy;
import io.livecap.auth.Authenticator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.captions.LineBreaker;
import io.livecap.ingest.IngestError;
import io.livecap.ingest.StreamStart;
import io.livecap.delivery.CaptionHub;
import io.livecap.session.Sessions;
import io.livecap.testkit.InMemoryCaptionStore;
import io.livecap.testkit.ScriptedSpeechEngine;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ingest parser under fuzz, in this JVM: a {@link LivecapServer} (its pipeline: HTTP codec, {@link HttpRouter}'s
 * upgrade, frame decoder, UTF-8 validator, aggregator, {@link IngestEndpoint}) on loopback, with a real
 * {@link Sessions} on a scripted engine, so a valid start really opens a session and its chunks are recognised. Every answer is checked
 * against {@link IngestOracle}: the code the contract gives that input, its close status, and no exception (no
 * {@code internal_error}, nothing unexpected in the log). The chunk limit is small so that the
 * too-big paths are cheap.
 */
class IngestFuzzTest {

    private static final int MAX_CHUNK = 4_096;
    private static final int MAX_FRAME = 1 << 20; // LivecapServer's transport limit for this chunk limit
    private static final IngestInputs INPUTS = new IngestInputs(MAX_FRAME, MAX_CHUNK);
    private static final IngestOracle ORACLE = new IngestOracle(MAX_FRAME, MAX_CHUNK);
    /** The parser alone has no frame limit (the transport's). */
    private static final IngestOracle PARSER_ORACLE = new IngestOracle(Integer.MAX_VALUE, MAX_CHUNK);
    private static final AtomicLong PARSED = new AtomicLong();
    private static final java.util.Map<String, AtomicLong> VERDICTS = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final java.util.Map<String, AtomicLong> ANSWERS = new java.util.concurrent.ConcurrentSkipListMap<>();
    private static final AtomicLong STREAMS = new AtomicLong();
    private static final AtomicLong MESSAGES = new AtomicLong();

    private static EventLoopGroup group;
    private static LivecapServer server;
    private static Bootstrap client;
    private static Sessions sessions;
    private static FuzzLogWatch logs;
    private static long startedNs;

    @BeforeContainer
    static void startServer() throws Exception {
        logs = new FuzzLogWatch();
        sessions = new Sessions(ScriptedSpeechEngine.of("fuzzed@100-400 audio@500-900"),
                new CaptionHub(new InMemoryCaptionStore()), LineBreaker.defaults(), ChannelStrategy.AUTO);
        // the default cap: a slot that is not given back shows up as server_busy, which the oracle never expects
        ServerLimits limits = new ServerLimits(64, 8, 256, 2048, Duration.ofSeconds(60), Duration.ofSeconds(120),
                256 * 1024, 1024 * 1024, 2000);
        server = new LivecapServer(sessions, MAX_CHUNK, "en-US", new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
                new Authenticator(null, false, Clock.systemUTC()), false, limits);
        InetSocketAddress address = server.start("127.0.0.1", 0);
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        // closing with a reset leaves no TIME_WAIT behind, so 100,000 connections do not run out of ports
        client = new Bootstrap().group(group).channel(NioSocketChannel.class).remoteAddress(address)
                .option(ChannelOption.SO_LINGER, 0).option(ChannelOption.TCP_NODELAY, true);
        startedNs = System.nanoTime();
    }

    @AfterContainer
    static void nothingLeftBehind() throws Exception {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(sessions.live().isEmpty() && sessions.hub().feedCount() == 0)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("left behind after the fuzz: " + sessions.live().size() + " sessions, "
                            + sessions.hub().feedCount() + " feeds");
                }
                Thread.sleep(20); // polling a condition with a deadline
            }
            double seconds = (System.nanoTime() - startedNs) / 1e9;
            System.out.printf("ingest fuzz (in process): %d start messages parsed; %d connections, %d messages sent;"
                    + " %.1f s in all; %d log events, %d unexpected%n  parser verdicts %s%n  socket answers %s%n",
                    PARSED.get(), STREAMS.get(), MESSAGES.get(), seconds, logs.events(), logs.unexpected(), VERDICTS,
                    ANSWERS);
            if (logs.unexpected() > 0) {
                throw new AssertionError(logs.unexpected() + " unexpected log lines, first: " + logs.samples());
            }
            if (PARSED.get() + MESSAGES.get() < 100_000) {
                throw new AssertionError("only " + (PARSED.get() + MESSAGES.get()) + " messages were fuzzed");
            }
        } finally {
            logs.close();
            server.close();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }

    /** Sends {@code messages} on a fresh ingest socket and checks the answer against the contract. */
    private static String exchange(List<IngestInput> messages) throws Exception {
        String id = "fuzz-" + STREAMS.incrementAndGet();
        IngestOracle.Verdict verdict = ORACLE.verdict(messages);
        try (FuzzClient socket = FuzzClient.connect(client, client.config().remoteAddress(),
                URI.create("ws://127.0.0.1/v1/ingest/" + id), 10_000)) {
            verdict.send().forEach(socket::send);
            MESSAGES.addAndGet(verdict.send().size());
            String outcome = IngestOracle.outcome(socket.probe(15_000, verdict.staysOpen()));
            ANSWERS.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
            if (!verdict.answers().contains(outcome)
                    && !(outcome.equals(IngestOracle.DROPPED) && verdict.answers().contains("too_big"))) {
                throw new AssertionError("answered " + outcome + ", the contract says " + verdict.answers());
            }
            return outcome;
        }
    }

    /**
     * The start message parser on its own, as {@link IngestEndpoint#onText} runs it (JSON object, then "type", then
     * {@code StreamStart.parse}): cheap, so it takes the bulk of the tries. Every verdict is the generator's, every
     * refusal a documented code with its documented close status.
     */
    @Property(tries = 100_000, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyStartMessageParsesToItsDocumentedVerdict(@ForAll("startTexts") IngestInput.Text message) {
        Set<String> expected = PARSER_ORACLE.expect(List.of(message));
        String outcome;
        try {
            JsonNode json;
            try {
                json = Json.MAPPER.readTree(message.text());
            } catch (JsonProcessingException e) {
                throw new IngestError("bad_json", IngestError.INVALID_PAYLOAD, e.getOriginalMessage());
            }
            if (json == null || !json.isObject()) {
                throw new IngestError("bad_json", IngestError.INVALID_PAYLOAD, "not an object");
            }
            String type = json.path("type").asText("");
            if (type.equals("eos")) {
                throw new IngestError("not_started", IngestError.POLICY, "eos before start");
            } else if (!type.equals("start")) {
                throw new IngestError("unknown_type", IngestError.POLICY, type);
            }
            StreamStart.parse(json, "en-US");
            outcome = IngestOracle.OPEN;
        } catch (IngestError e) {
            outcome = e.code();
            if (!IngestOracle.DOCUMENTED.getOrDefault(outcome, Set.of()).contains(e.closeStatus())) {
                throw new AssertionError(outcome + " with close " + e.closeStatus() + " is not documented");
            }
        }
        PARSED.incrementAndGet();
        // counted here, not with jqwik's Statistics: its per-try bookkeeping grows with the tries
        VERDICTS.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
        if (!expected.contains(outcome)) {
            throw new AssertionError("parsed to " + outcome + ", the contract says " + expected);
        }
    }

    /** A start message (valid, nearly, or not one at all, whole or in fragments) and maybe one more, on a socket. */
    @Property(tries = 1_500, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyStartMessageGetsItsDocumentedAnswer(@ForAll("openings") List<IngestInput> messages) throws Exception {
        exchange(messages);
    }

    /**
     * A valid start, then up to 60 chunks of odd sizes and pts, pings and fragments, and somewhere text where binary
     * belongs, a chunk of the wrong size, a bad frame or eos: on a socket.
     */
    @Property(tries = 1_500, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void everyFrameSequenceGetsItsDocumentedAnswer(@ForAll("streams") List<IngestInput> messages) throws Exception {
        exchange(messages);
    }

    @Provide
    Arbitrary<IngestInput.Text> startTexts() {
        return INPUTS.startMessage(true).filter(m -> m instanceof IngestInput.Text).map(m -> (IngestInput.Text) m);
    }

    @Provide
    Arbitrary<List<IngestInput>> openings() {
        Arbitrary<IngestInput> first = Arbitraries.frequencyOf(
                Tuple.of(16, INPUTS.startMessage(true)),
                Tuple.of(2, INPUTS.otherText()),
                Tuple.of(1, INPUTS.anyBinary()),
                Tuple.of(1, INPUTS.badUtf8()),
                Tuple.of(1, INPUTS.rsv()),
                Tuple.of(1, INPUTS.startMessage(false).flatMap(m -> Arbitraries.integers().between(2, 9)
                        .map(n -> new IngestInput.Fragmented(m, n)))));
        Arbitrary<IngestInput> second = Arbitraries.frequencyOf(
                Tuple.of(2, INPUTS.otherText()),
                Tuple.of(1, INPUTS.anyBinary()),
                Tuple.of(1, INPUTS.ping()),
                Tuple.of(1, INPUTS.validPcmStart().map(t -> (IngestInput) t)));
        return Combinators.combine(first, second.list().ofMaxSize(1)).as((a, rest) -> {
            List<IngestInput> all = new ArrayList<>();
            all.add(a);
            all.addAll(rest);
            return all;
        });
    }

    @Provide
    Arbitrary<List<IngestInput>> streams() {
        return INPUTS.validPcmStart().flatMap(start -> {
            int bytesPerFrame = start.bytesPerFrame();
            Arbitrary<IngestInputs.ChunkSpec> chunk = INPUTS.chunk(bytesPerFrame, MAX_CHUNK / bytesPerFrame, true);
            Arbitrary<Object> step = Arbitraries.frequencyOf(
                    Tuple.of(300, INPUTS.chunk(bytesPerFrame, MAX_CHUNK / bytesPerFrame, false)
                            .map(c -> (Object) c)), // whole frames: the stream goes on
                    Tuple.of(20, chunk.map(c -> (Object) c)),
                    Tuple.of(2, INPUTS.otherText().map(t -> (Object) t)),
                    Tuple.of(1, INPUTS.startMessage(false).map(t -> (Object) t)),
                    Tuple.of(1, INPUTS.validPcmStart().map(t -> (Object) t)),
                    Tuple.of(1, INPUTS.anyBinary().map(b -> (Object) b)),
                    Tuple.of(1, INPUTS.badUtf8().map(b -> (Object) b)),
                    Tuple.of(1, INPUTS.rsv().map(r -> (Object) r)),
                    Tuple.of(20, INPUTS.ping().map(p -> (Object) p)),
                    Tuple.of(30, Combinators.combine(INPUTS.chunk(bytesPerFrame, 400, false),
                            Arbitraries.integers().between(2, 6)).as((c, n) -> (Object) new IngestInputs.Fragment(c, n))),
                    Tuple.of(1, Combinators.combine(INPUTS.otherText(), Arbitraries.integers().between(2, 4))
                            .as((t, n) -> (Object) new IngestInput.Fragmented(t, n))));
            return Combinators.combine(step.list().ofMinSize(1).ofMaxSize(60), Arbitraries.longs())
                    .as((steps, seed) -> {
                        List<IngestInput> all = new ArrayList<>();
                        all.add(start);
                        all.addAll(IngestInputs.withPts(steps, new Random(seed)));
                        return all;
                    });
        });
    }
}
