package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.livecap.captions.Json;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * jqwik generators of what an ingest client may send: start messages that are valid, nearly valid (one field of the
 * wrong type, out of range, missing, a bad language, a huge or unicode string, extra fields) or not JSON objects at
 * all; chunks of odd sizes with odd pts; text where binary belongs and the reverse; invalid UTF-8; RSV bits;
 * fragments. Each message carries the verdict the contract gives it (see {@link IngestOracle}).
 */
final class IngestInputs {

    /** A start field as generated: its JSON value (null = left out) and the code it must be refused with (null = fine). */
    private record Field(String name, JsonNode value, String verdict) {
    }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** The order StreamStart checks its fields in (after the endpoint has read "type"): the first bad one answers. */
    private static final List<String> CHECK_ORDER = List.of("type", "codec", "sample_rate", "channels", "timescale",
            "pts_bits", "language", "channel_strategy");
    private static final Set<String> CODECS = Set.of("pcm_s16le", "mpegts", "flv", "aac", "ogg", "webm");
    private static final List<String> STRATEGIES = List.of("auto", "sum", "left", "right", "invert-right", "swap");

    private final int maxFrameBytes;
    private final int maxChunkBytes;

    IngestInputs(int maxFrameBytes, int maxChunkBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxChunkBytes = maxChunkBytes;
    }

    // ---- start messages ----

    /** Valid and near-valid start messages; {@code containers} lets through the codecs that start an ffmpeg. */
    Arbitrary<IngestInput> startMessage(boolean containers) {
        Arbitrary<Field> type = Arbitraries.frequencyOf(
                Tuple.of(24, Arbitraries.just(new Field("type", TextNode.valueOf("start"), null))),
                Tuple.of(1, Arbitraries.just(new Field("type", null, "unknown_type"))),
                Tuple.of(1, Arbitraries.just(new Field("type", TextNode.valueOf("eos"), "not_started"))),
                Tuple.of(1, Arbitraries.of("Start", "START", " start", "start ", "stop", "chunk", "", "stärt")
                        .map(t -> new Field("type", TextNode.valueOf(t), "unknown_type"))),
                Tuple.of(1, wrongType().map(v -> new Field("type", v, "unknown_type"))));
        Arbitrary<Field> codec = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new Field("codec", null, null))),
                Tuple.of(1, Arbitraries.just(new Field("codec", NullNode.getInstance(), null))),
                Tuple.of(8, Arbitraries.just(new Field("codec", TextNode.valueOf("pcm_s16le"), null))),
                Tuple.of(containers ? 1 : 0, Arbitraries.of("mpegts", "flv", "aac", "ogg", "webm")
                        .map(c -> new Field("codec", TextNode.valueOf(c), null))),
                Tuple.of(2, oddString().filter(s -> !CODECS.contains(s))
                        .map(c -> new Field("codec", TextNode.valueOf(c), "unsupported_codec"))),
                Tuple.of(1, wrongType().map(v -> new Field("codec", v, "unsupported_codec"))));
        Arbitrary<Field> language = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new Field("language", null, null))),
                Tuple.of(1, Arbitraries.just(new Field("language", NullNode.getInstance(), null))),
                Tuple.of(6, languageTag().map(l -> new Field("language", TextNode.valueOf(l), null))),
                Tuple.of(1, Arbitraries.of("", " ", "\t", "   ").map(l -> new Field("language", TextNode.valueOf(l),
                        null))), // blank: the default
                Tuple.of(3, badLanguage().map(l -> new Field("language", TextNode.valueOf(l), "bad_language"))),
                // a number reads as its digits (not a tag); true/false read as words that are; {} and [] as blank
                Tuple.of(1, Arbitraries.longs().map(n -> new Field("language", LongNode.valueOf(n), "bad_language"))),
                Tuple.of(1, Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE, NODES.objectNode(), NODES.arrayNode())
                        .map(v -> new Field("language", v, null))));
        Arbitrary<Field> strategy = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(new Field("channel_strategy", null, null))),
                Tuple.of(1, Arbitraries.just(new Field("channel_strategy", NullNode.getInstance(), null))),
                Tuple.of(3, Combinators.combine(Arbitraries.of(STRATEGIES), Arbitraries.integers().between(0, 2))
                        .as((s, how) -> how == 0 ? s : how == 1 ? s.toUpperCase() : " " + s + " ")
                        .map(s -> new Field("channel_strategy", TextNode.valueOf(s), null))),
                Tuple.of(1, oddString().filter(s -> !STRATEGIES.contains(s.trim().toLowerCase(java.util.Locale.ROOT)))
                        .map(s -> new Field("channel_strategy", TextNode.valueOf(s), "bad_start"))),
                Tuple.of(1, wrongType().map(v -> new Field("channel_strategy", v, "bad_start"))));
        Arbitrary<List<Field>> extras = extraField().list().ofMaxSize(3);
        Arbitrary<List<Field>> fields = Combinators.combine(type, codec, intField("sample_rate", 8_000, 192_000, 16_000),
                        intField("channels", 1, 8, 1), intField("timescale", 1, Integer.MAX_VALUE, 90_000),
                        intField("pts_bits", 1, 64, 64), language, strategy)
                .as((t, c, rate, ch, ts, bits, lang, strat) -> List.of(t, c, rate, ch, ts, bits, lang, strat));
        // combined, not flatMapped: jqwik memoizes every arbitrary it meets, and a flatMap makes new ones per try
        return Combinators.combine(fields, extras, Arbitraries.integers(), Arbitraries.integers().between(0, 40))
                .as(this::render);
    }

    /** Starts that are valid PCM, for the frame suites: any rate, 1-8 channels, odd clocks. */
    Arbitrary<IngestInput.Text> validPcmStart() {
        return Combinators.combine(Arbitraries.frequencyOf(
                                Tuple.of(3, Arbitraries.of(8_000, 16_000, 44_100, 48_000, 192_000)),
                                Tuple.of(1, Arbitraries.integers().between(8_000, 192_000))),
                        Arbitraries.integers().between(1, 8),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(90_000L, 1_000L, 48_000L)),
                                Tuple.of(1, Arbitraries.longs().between(1, Integer.MAX_VALUE))),
                        Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.of(33, 64)),
                                Tuple.of(1, Arbitraries.integers().between(1, 64))))
                .as((rate, channels, timescale, bits) -> {
                    ObjectNode start = NODES.objectNode().put("type", "start").put("codec", "pcm_s16le")
                            .put("sample_rate", rate).put("channels", channels).put("timescale", timescale)
                            .put("pts_bits", bits);
                    return new IngestInput.Text(start.toString(), IngestInput.TextKind.START, null, channels * 2);
                });
    }

    private IngestInput render(List<Field> fields, List<Field> extra, int seed, int mangle) {
        String verdict = null;
        for (String name : CHECK_ORDER) {
            Field field = fields.stream().filter(f -> f.name().equals(name)).findFirst().orElseThrow();
            if (field.verdict() != null) {
                verdict = field.verdict();
                break;
            }
        }
        List<Field> all = new ArrayList<>(fields);
        all.addAll(extra);
        Collections.shuffle(all, new Random(seed)); // the order of fields means nothing
        ObjectNode json = NODES.objectNode();
        for (Field field : all) {
            if (field.value() != null) {
                json.set(field.name(), field.value());
            }
        }
        String text = json.toString();
        JsonNode type = json.get("type");
        IngestInput.TextKind kind = type != null && type.isTextual() && type.asText().equals("start")
                ? IngestInput.TextKind.START : type != null && type.isTextual() && type.asText().equals("eos")
                ? IngestInput.TextKind.EOS : IngestInput.TextKind.OTHER_TYPE;
        if (mangle == 0 && text.length() > 1) {
            // cut short: a strict prefix of an object is never a whole one
            return IngestInput.Text.other(text.substring(0, 1 + Math.floorMod(seed, text.length() - 1)),
                    IngestInput.TextKind.NOT_AN_OBJECT);
        }
        if (mangle == 1) {
            return IngestInput.Text.other("[" + text + "]", IngestInput.TextKind.NOT_AN_OBJECT);
        }
        if (mangle == 2) {
            return new IngestInput.Binary(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)); // text as binary
        }
        if (kind != IngestInput.TextKind.START) {
            return IngestInput.Text.other(text, kind);
        }
        JsonNode codec = json.get("codec");
        boolean container = codec != null && codec.isTextual() && !codec.asText().equals("pcm_s16le");
        JsonNode channels = json.get("channels");
        int bytesPerFrame = container ? 0 : 2 * (channels == null || channels.isNull() ? 1 : channels.asInt());
        return new IngestInput.Text(text, IngestInput.TextKind.START, verdict, bytesPerFrame);
    }

    private Arbitrary<Field> intField(String name, long min, long max, long fallback) {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(new Field(name, null, null))),
                Tuple.of(1, Arbitraries.just(new Field(name, NullNode.getInstance(), null))),
                Tuple.of(10, Arbitraries.longs().between(min, max).map(v -> new Field(name, LongNode.valueOf(v), null))),
                Tuple.of(2, Arbitraries.of(min, max, fallback).map(v -> new Field(name, LongNode.valueOf(v), null))),
                Tuple.of(2, Arbitraries.oneOf(Arbitraries.longs().lessOrEqual(min - 1),
                                Arbitraries.longs().greaterOrEqual(max + 1), Arbitraries.of(min - 1, max + 1))
                        .map(v -> new Field(name, LongNode.valueOf(v), "bad_start"))),
                Tuple.of(1, Combinators.combine(Arbitraries.bigIntegers().between(BigInteger.TWO.pow(63),
                                BigInteger.TEN.pow(40)), Arbitraries.of(true, false)).as((b, negative) -> negative
                                ? b.negate() : b)
                        .map(v -> new Field(name, BigIntegerNode.valueOf(v), "bad_start"))),
                Tuple.of(1, Arbitraries.of((double) fallback, fallback + 0.5, 1e308, -0.0, 4.9e-324)
                        .map(v -> new Field(name, DoubleNode.valueOf(v), "bad_start"))),
                Tuple.of(1, Arbitraries.of(TextNode.valueOf(String.valueOf(fallback)), TextNode.valueOf(""),
                                BooleanNode.TRUE, NODES.arrayNode().add(fallback), NODES.objectNode())
                        .map(v -> new Field(name, v, "bad_start"))));
    }

    /** A value of a type no field takes, that no field reads as a valid value either. */
    private Arbitrary<JsonNode> wrongType() {
        return Arbitraries.of(LongNode.valueOf(1), LongNode.valueOf(-1), DoubleNode.valueOf(3.5), BooleanNode.TRUE,
                BooleanNode.FALSE, NODES.arrayNode(), NODES.arrayNode().add("start"), NODES.objectNode(),
                NODES.objectNode().put("type", "start"));
    }

    /** Unicode (any plane, controls, lone surrogates), empty, or huge: up to past the frame limit. */
    private Arbitrary<String> oddString() {
        return Arbitraries.frequencyOf(
                Tuple.of(60, Arbitraries.strings().all().ofMaxLength(40)),
                Tuple.of(20, Arbitraries.of("", " ", "\u0000", "😀", "e\u0301", "\u202Eevil", "pcm_s16le\u0000",
                        "mp3", "opus", "PCM_S16LE", "pcm_s16be")),
                Tuple.of(1, Combinators.combine(Arbitraries.integers().between(1_000, maxFrameBytes + 2_000), // rare
                        Arbitraries.of("x", "é", "😀")).as((n, c) -> c.repeat(n / c.getBytes(
                                java.nio.charset.StandardCharsets.UTF_8).length))));
    }

    /** Well-formed BCP 47-shaped tags of at most 35 characters. */
    private Arbitrary<String> languageTag() {
        Arbitrary<String> primary = Arbitraries.strings().withCharRange('a', 'z').withCharRange('A', 'Z')
                .ofMinLength(2).ofMaxLength(8);
        Arbitrary<String> subtag = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withCharRange('A', 'Z').ofMinLength(1).ofMaxLength(8);
        return Arbitraries.oneOf(Arbitraries.of("en", "en-US", "fr", "zh-Hant-TW", "sgn-BE-FR", "de-CH-1901"),
                Combinators.combine(primary, subtag.list().ofMaxSize(4))
                        .as((p, subs) -> subs.isEmpty() ? p : p + "-" + String.join("-", subs))
                        .filter(tag -> tag.length() <= 35));
    }

    /** Not a tag: the wrong shape, unicode, markup, or too long (the 200,000 characters among them). */
    private Arbitrary<String> badLanguage() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("e", "en US", "en--US", "en-", "-en", "1en", "en_US", "ünï", "<script>",
                        "en-US-abcdefghi", "😀", "en\u0000", " en", "en-US\n", "x".repeat(36),
                        "en-" + "abcdefgh-".repeat(4) + "ab")),
                Tuple.of(2, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
                        .filter(s -> !s.isBlank() && StreamStartShape.refuses(s))),
                Tuple.of(1, Arbitraries.integers().between(36, Math.min(200_000, maxFrameBytes + 1_000))
                        .map("a"::repeat)));
    }

    private Arbitrary<Field> extraField() {
        Arbitrary<JsonNode> value = Arbitraries.oneOf(oddString().map(s -> (JsonNode) TextNode.valueOf(s)),
                Arbitraries.longs().map(LongNode::valueOf), wrongType());
        return Combinators.combine(Arbitraries.strings().all().ofMaxLength(12), value)
                .as((key, v) -> new Field("x" + key, v, null));
    }

    // ---- other text messages ----

    /** Text messages that are not a start: eos, unknown types, not objects, not JSON. */
    Arbitrary<IngestInput> otherText() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of("{\"type\":\"eos\"}", "{\"type\":\"eos\",\"end_event\":true}",
                        "{\"end_event\":\"yes\",\"type\":\"eos\"}", "{\"type\":\"eos\",\"x\":[1,2,{}]}")
                        .map(t -> IngestInput.Text.other(t, IngestInput.TextKind.EOS))),
                Tuple.of(2, Arbitraries.of("{}", "{\"type\":null}", "{\"type\":\"chunk\"}", "{\"type\":7}",
                        "{\"type\":\"EOS\"}", "{\"type\":[\"eos\"]}", "{\"type\":{\"type\":\"start\"}}")
                        .map(t -> IngestInput.Text.other(t, IngestInput.TextKind.OTHER_TYPE))),
                Tuple.of(2, Arbitraries.of("", " ", "null", "[]", "1", "\"start\"", "true", "[{\"type\":\"eos\"}]",
                        "{\"type\":", "{\"type\":\"eos\"", "{'type':'eos'}", "\uFEFF", "{\"type\":\"eos\",}")
                        .map(t -> IngestInput.Text.other(t, IngestInput.TextKind.NOT_AN_OBJECT))),
                // no '{' anywhere, so never an object, whatever else it is
                Tuple.of(2, oddString().map(s -> s.replace('{', '(')).map(s ->
                        IngestInput.Text.other(s, IngestInput.TextKind.NOT_AN_OBJECT))));
    }

    /** A text frame with bytes that are not UTF-8 (overlong, surrogates, truncated, stray continuation, 0xFF). */
    Arbitrary<IngestInput> badUtf8() {
        Arbitrary<byte[]> bad = Arbitraries.of(new byte[]{(byte) 0xC3, 0x28}, new byte[]{(byte) 0xFF},
                new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[]{(byte) 0xC0, (byte) 0xAF},
                new byte[]{(byte) 0xE2, (byte) 0x82}, new byte[]{(byte) 0x80},
                new byte[]{(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80});
        return Combinators.combine(Arbitraries.strings().ascii().ofMaxLength(30), bad, Arbitraries.strings().ascii()
                        .ofMaxLength(30))
                .as((before, b, after) -> {
                    byte[] head = ("{\"type\":\"start\",\"x\":\"" + before).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    byte[] tail = after.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                    return (IngestInput) new IngestInput.BadUtf8(ByteBuffer.allocate(head.length + b.length + tail.length)
                            .put(head).put(b).put(tail).array());
                });
    }

    // ---- binary messages ----

    /** What a chunk's pts does relative to the one before. */
    enum PtsMove { NEXT, SAME, BACK, JUMP, ZERO, NEGATIVE, MAX, MIN, WRAP_EDGE, RANDOM }

    /** A chunk to be given its pts once the sequence is known: payload bytes and how its pts moves. */
    record ChunkSpec(int payloadBytes, boolean noise, PtsMove move, long random) {
    }

    /** Payload sizes around every limit for {@code bytesPerFrame}: whole frames, not, tiny, over the chunk limit. */
    Arbitrary<ChunkSpec> chunk(int bytesPerFrame, int maxWholeFrames, boolean fatalSizes) {
        Arbitrary<Integer> whole = Arbitraries.integers().between(0, maxWholeFrames).map(n -> n * bytesPerFrame);
        Arbitrary<Integer> size = fatalSizes ? Arbitraries.frequencyOf(
                Tuple.of(200, whole),
                Tuple.of(40, whole.flatMap(n -> Arbitraries.integers().between(1, bytesPerFrame - 1).map(r -> n + r))),
                Tuple.of(20, Arbitraries.integers().between(-8, -1)), // shorter than the pts header: 0-7 bytes
                Tuple.of(20, Arbitraries.integers().between(maxChunkBytes + 1, maxChunkBytes + 3 * bytesPerFrame)),
                Tuple.of(10, Arbitraries.of(maxChunkBytes / bytesPerFrame * bytesPerFrame, maxChunkBytes,
                        maxFrameBytes - 8)),
                Tuple.of(1, Arbitraries.of(maxFrameBytes - 7, maxFrameBytes + 100))) // over the frame limit
                : whole;
        return Combinators.combine(size, Arbitraries.of(false, false, false, true), Arbitraries.frequencyOf(
                        Tuple.of(12, Arbitraries.just(PtsMove.NEXT)), Tuple.of(1, Arbitraries.of(PtsMove.values()))),
                Arbitraries.longs()).as(ChunkSpec::new);
    }

    /** The chunks' wire form, their pts folded along the sequence (samples at 16 kHz-ish per tick of 90 kHz). */
    static List<IngestInput> withPts(List<Object> steps, Random noise) {
        List<IngestInput> out = new ArrayList<>();
        long pts = 0;
        for (Object step : steps) {
            if (step instanceof ChunkSpec c) {
                pts = switch (c.move()) {
                    case NEXT -> pts + 1_800;
                    case SAME -> pts;
                    case BACK -> pts - 1 - Math.floorMod(c.random(), 1_000_000L);
                    case JUMP -> pts + 1_000_000L + Math.floorMod(c.random(), 1L << 40);
                    case ZERO -> 0;
                    case NEGATIVE -> -1 - Math.floorMod(c.random(), Long.MAX_VALUE);
                    case MAX -> Long.MAX_VALUE;
                    case MIN -> Long.MIN_VALUE;
                    case WRAP_EDGE -> (1L << 33) - 1 - Math.floorMod(c.random(), 100L);
                    case RANDOM -> c.random();
                };
                out.add(chunkBytes(c, pts, noise));
            } else if (step instanceof Fragment f && f.whole() instanceof ChunkSpec c) {
                pts += 1_800;
                out.add(new IngestInput.Fragmented(chunkBytes(c, pts, noise), f.pieces()));
            } else {
                out.add((IngestInput) step);
            }
        }
        return out;
    }

    /** A step sent in pieces (its chunk's pts given later). */
    record Fragment(Object whole, int pieces) {
    }

    private static IngestInput.Binary chunkBytes(ChunkSpec c, long pts, Random noise) {
        int total = 8 + c.payloadBytes(); // a negative payload: shorter than the pts header
        byte[] bytes = new byte[total];
        if (c.noise()) {
            noise.nextBytes(bytes);
        }
        if (total >= 8) {
            ByteBuffer.wrap(bytes).putLong(pts);
        }
        return new IngestInput.Binary(bytes);
    }

    /** Binary garbage of any small size, for where a start belongs. */
    Arbitrary<IngestInput> anyBinary() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(64).map(IngestInput.Binary::new);
    }

    Arbitrary<IngestInput> rsv() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(32).map(IngestInput.Rsv::new);
    }

    Arbitrary<IngestInput> ping() {
        return Arbitraries.integers().between(0, 125).map(IngestInput.Ping::new);
    }

    /** Why StreamStart would refuse a language, restated from the contract: the regex of the README's table. */
    static final class StreamStartShape {
        private static final java.util.regex.Pattern TAG = java.util.regex.Pattern.compile(
                "[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

        static boolean refuses(String language) {
            return language.length() > 35 || !TAG.matcher(language).matches();
        }
    }
}
