package io.livecap.server;

import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.audio.WavAudio;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import io.netty.bootstrap.Bootstrap;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The fuzzer against a live server (a {@link LivecapNode} on loopback, pocketsphinx, real websockets) while a real
 * stream captions the lecture in real time beside it: each try runs three fuzzed ingest connections at once, each a
 * long stream (about 900 messages) of chunks with odd sizes and pts, pings and fragments ending in some mistake, plus three fuzzed start
 * messages, and one attempt to take over the real stream's id. Every answer must be the contract's; afterwards the
 * real stream's WER is as without the fuzz and its stored finals are exactly those it was sent.
 */
class IngestLiveFuzzTest {

    private static final int MAX_CHUNK = 16 * 1024;
    private static final int MAX_FRAME = 1 << 20; // LivecapServer's transport limit for this chunk limit
    private static final String REAL = "live-fuzz-real";
    private static final IngestInputs INPUTS = new IngestInputs(MAX_FRAME, MAX_CHUNK);
    private static final IngestOracle ORACLE = new IngestOracle(MAX_FRAME, MAX_CHUNK);
    private static final AtomicLong CONNECTIONS = new AtomicLong();
    private static final AtomicLong MESSAGES = new AtomicLong();
    private static final AtomicLong TAKEOVERS_REFUSED = new AtomicLong();
    /** Answers by kind (jqwik's statistics belong to the property's thread; these come from three). */
    private static final Map<String, AtomicLong> OUTCOMES = new java.util.concurrent.ConcurrentSkipListMap<>();

    private static LivecapNode node;
    private static StreamRun real;
    private static CompletableFuture<Void> realDone;
    private static EventLoopGroup group;
    private static Bootstrap client;
    private static InetSocketAddress address;
    private static ExecutorService connections;
    private static FuzzLogWatch logs;
    private static long startedNs;

    @BeforeContainer
    static void startServerAndARealStream() throws Exception {
        node = LivecapNode.start(TestConfig.local(Map.of("ingest.max_chunk_bytes", String.valueOf(MAX_CHUNK))),
                TestEngines.pocketsphinx());
        logs = new FuzzLogWatch();
        WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
        real = new StreamRun(node, REAL, new AudioFeeder().realtime(true));
        AudioFeeder.Source audio = AudioFeeder.of(lecture.samples(), lecture.sampleRate(), lecture.channels());
        real.open(audio);
        realDone = CompletableFuture.runAsync(() -> {
            try {
                real.feedAll(audio);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        address = new InetSocketAddress("127.0.0.1", node.port());
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        client = new Bootstrap().group(group).channel(NioSocketChannel.class).option(ChannelOption.SO_LINGER, 0)
                .option(ChannelOption.TCP_NODELAY, true);
        connections = Executors.newFixedThreadPool(3);
        startedNs = System.nanoTime();
    }

    @AfterContainer
    static void theRealStreamKeptCaptioningAndItsStoredCaptionsAreUntouched() throws Exception {
        try {
            double fuzzSeconds = (System.nanoTime() - startedNs) / 1e9;
            realDone.get(180, TimeUnit.SECONDS);
            double wer = WordErrorRate.of(SharedAudio.transcript(SharedAudio.LECTURE), real.finalText());
            List<Caption> sent = real.finals();
            List<Caption> stored = node.sessions().hub().store().finalsAfter(REAL, 0);
            System.out.printf("ingest fuzz (live): %d connections, %d messages, %d takeovers refused in %.1f s beside"
                            + " a real stream: WER %.1f %%, %d finals sent, %d stored; %d log events, %d unexpected;"
                            + " answers %s%n",
                    CONNECTIONS.get(), MESSAGES.get(), TAKEOVERS_REFUSED.get(), fuzzSeconds, wer * 100, sent.size(),
                    stored.size(), logs.events(), logs.unexpected(), OUTCOMES);
            if (wer > 0.10) {
                throw new AssertionError("the real stream beside the fuzz suffered: WER " + wer + ": "
                        + real.finalText());
            }
            if (real.source().messages().stream().anyMatch(m -> m.path("type").asText().equals("error"))) {
                throw new AssertionError("the real stream got an error: " + real.source().messages());
            }
            List<String> sentFinals = sent.stream().map(c -> c.seq() + " " + c.text()).toList();
            List<String> storedFinals = stored.stream().map(c -> c.seq() + " " + c.text()).toList();
            if (!sentFinals.equals(storedFinals)) {
                throw new AssertionError("stored finals of the real stream differ from those sent:\n" + storedFinals
                        + "\n" + sentFinals);
            }
            if (logs.unexpected() > 0) {
                throw new AssertionError(logs.unexpected() + " unexpected log lines, first: " + logs.samples());
            }
            if (MESSAGES.get() < 10_000) {
                throw new AssertionError("only " + MESSAGES.get() + " messages were fuzzed");
            }
        } finally {
            logs.close();
            connections.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            node.close();
        }
    }

    /** One fuzzed connection: sends what the contract lets it (up to the message that ends it) and checks the answer. */
    private static void exchange(String id, List<IngestInput> messages) throws Exception {
        IngestOracle.Verdict verdict = ORACLE.verdict(messages);
        CONNECTIONS.incrementAndGet();
        try (FuzzClient socket = FuzzClient.connect(client, address,
                URI.create("ws://127.0.0.1:" + node.port() + "/v1/ingest/" + id), 15_000)) {
            int n = 0;
            for (IngestInput message : verdict.send()) {
                socket.send(message);
                if (++n % 32 == 0) {
                    socket.flush();
                }
            }
            MESSAGES.addAndGet(verdict.send().size());
            // generous: a stream's reading waits (back-pressure) while its recogniser loads, 30 s on a loaded machine
            String outcome = IngestOracle.outcome(socket.probe(120_000, verdict.staysOpen()));
            OUTCOMES.computeIfAbsent(outcome, o -> new AtomicLong()).incrementAndGet();
            if (!verdict.answers().contains(outcome)
                    && !(outcome.equals(IngestOracle.DROPPED) && verdict.answers().contains("too_big"))) {
                throw new AssertionError(id + " answered " + outcome + ", the contract says " + verdict.answers()
                        + " for " + verdict.send());
            }
        }
    }

    /** Three long streams and three start messages at once, and a try at the real stream's id while it is live. */
    @Property(tries = 5, shrinking = ShrinkingMode.BOUNDED, edgeCases = EdgeCasesMode.NONE)
    void fuzzedSourcesBesideARealStreamGetTheirDocumentedAnswers(
            @ForAll("longStreams") List<List<IngestInput>> streams,
            @ForAll("openings") List<List<IngestInput>> openings) throws Exception {
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < streams.size(); i++) {
            List<IngestInput> stream = streams.get(i);
            List<IngestInput> opening = openings.get(i);
            running.add(connections.submit(() -> {
                exchange("fuzz-" + CONNECTIONS.get() + "-" + Thread.currentThread().getId(), stream);
                exchange("fuzz-open-" + CONNECTIONS.get() + "-" + Thread.currentThread().getId(), opening);
                return null;
            }));
        }
        // a second source for the live real stream: refused, the real one untouched (only while it surely is live)
        if (node.sessions().get(REAL).map(s -> s.audioMs() < 50_000).orElse(false)) {
            try (FuzzClient thief = FuzzClient.connect(client, address,
                    URI.create("ws://127.0.0.1:" + node.port() + "/v1/ingest/" + REAL), 15_000)) {
                thief.send(new IngestInput.Text("{\"type\":\"start\",\"sample_rate\":16000}",
                        IngestInput.TextKind.START, null, 2));
                String outcome = IngestOracle.outcome(thief.probe(30_000, false));
                if (!outcome.equals("stream_busy")) {
                    throw new AssertionError("a second source for the live stream answered " + outcome);
                }
                TAKEOVERS_REFUSED.incrementAndGet();
            }
        }
        for (Future<?> done : running) {
            try {
                done.get(300, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof Exception cause) {
                    throw cause;
                }
                throw new AssertionError(e.getCause());
            }
        }
    }

    /**
     * A valid 16 or 48 kHz start, then 800-1000 steps, nearly all harmless, chunks of at most 20 ms: few long
     * streams rather than many short ones, since each start loads a recogniser (seconds on a loaded machine).
     */
    @Provide
    Arbitrary<List<List<IngestInput>>> longStreams() {
        Arbitrary<List<IngestInput>> stream = Combinators.combine(Arbitraries.of(16_000, 48_000),
                Arbitraries.of(1, 2)).as((rate, channels) -> new IngestInput.Text("{\"type\":\"start\",\"codec\":"
                + "\"pcm_s16le\",\"sample_rate\":" + rate + ",\"channels\":" + channels + ",\"timescale\":90000,"
                + "\"pts_bits\":33}", IngestInput.TextKind.START, null, channels * 2)).flatMap(start -> {
                    int bytesPerFrame = start.bytesPerFrame();
                    int framesIn20Ms = 48_000 / 50;
                    Arbitrary<Object> harmless = Arbitraries.frequencyOf(
                            Tuple.of(40, INPUTS.chunk(bytesPerFrame, framesIn20Ms, false).map(c -> (Object) c)),
                            Tuple.of(3, INPUTS.ping().map(p -> (Object) p)),
                            Tuple.of(4, Combinators.combine(INPUTS.chunk(bytesPerFrame, framesIn20Ms, false),
                                    Arbitraries.integers().between(2, 5))
                                    .as((c, n) -> (Object) new IngestInputs.Fragment(c, n))));
                    Arbitrary<Object> last = Arbitraries.frequencyOf(
                            Tuple.of(3, INPUTS.chunk(bytesPerFrame, 8, true).map(c -> (Object) c)),
                            Tuple.of(2, INPUTS.otherText().map(t -> (Object) t)),
                            Tuple.of(1, INPUTS.startMessage(false).map(t -> (Object) t)),
                            Tuple.of(1, INPUTS.anyBinary().map(b -> (Object) b)),
                            Tuple.of(1, INPUTS.badUtf8().map(b -> (Object) b)),
                            Tuple.of(1, INPUTS.rsv().map(r -> (Object) r)));
                    return Combinators.combine(harmless.list().ofMinSize(800).ofMaxSize(1_000), last.list().ofMaxSize(2),
                            Arbitraries.longs()).as((steps, ending, seed) -> {
                                List<Object> all = new ArrayList<>(steps);
                                all.addAll(ending);
                                List<IngestInput> messages = new ArrayList<>();
                                messages.add(start);
                                messages.addAll(IngestInputs.withPts(all, new Random(seed)));
                                return messages;
                            });
                });
        return stream.list().ofSize(3);
    }

    /** A start message of any kind (PCM only: a container's ffmpeg per try is not the point here). */
    @Provide
    Arbitrary<List<List<IngestInput>>> openings() {
        return Arbitraries.frequencyOf(Tuple.of(8, INPUTS.startMessage(false)), Tuple.of(1, INPUTS.otherText()),
                Tuple.of(1, INPUTS.badUtf8())).map(m -> List.of(m)).list().ofSize(3);
    }
}
