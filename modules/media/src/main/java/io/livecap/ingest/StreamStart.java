package io.livecap.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.audio.ChannelStrategy;

import java.util.Set;

/**
 * The ingest stream's opening message:
 * {@code {"type":"start","codec":"pcm_s16le","sample_rate":48000,"channels":2,"timescale":90000,"pts_bits":33,"language":"en-US"}},
 * optionally with {@code "channel_strategy"} (null here = the server's configured one).
 */
public record StreamStart(String codec, int sampleRate, int channels, long timescale, int ptsBits, String language,
                          ChannelStrategy channelStrategy) {

    public static final String PCM = "pcm_s16le";
    /** Containers ffmpeg decodes (see {@link PushDecoder}). */
    public static final Set<String> CONTAINERS = Set.of("mpegts", "flv", "aac", "ogg", "webm");
    private static final int MAX_CHANNELS = 8;
    public static final int MAX_LANGUAGE_CHARS = 35;
    private static final java.util.regex.Pattern LANGUAGE_TAG =
            java.util.regex.Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");

    /** Reads and checks a start message; anything wrong is an {@link IngestError} saying which field and why. */
    public static StreamStart parse(JsonNode json, String defaultLanguage) {
        String type = json.path("type").asText("");
        if (!"start".equals(type)) {
            throw new IngestError("not_started", IngestError.POLICY,
                    "the first message must be {\"type\":\"start\",...}, got type \"" + type + "\"");
        }
        String codec = json.path("codec").asText(PCM);
        if (!PCM.equals(codec) && !CONTAINERS.contains(codec)) {
            throw new IngestError("unsupported_codec", IngestError.UNSUPPORTED_DATA, "codec \"" + codec
                    + "\" is not supported; send " + PCM + " or one of " + String.join(", ", CONTAINERS.stream()
                    .sorted().toList()));
        }
        int rate = intField(json, "sample_rate", 16_000, 8_000, 192_000);
        int channels = intField(json, "channels", 1, 1, MAX_CHANNELS);
        long timescale = intField(json, "timescale", 90_000, 1, Integer.MAX_VALUE);
        int ptsBits = intField(json, "pts_bits", 64, 1, 64);
        String language = json.path("language").asText(defaultLanguage);
        if (language.isBlank()) {
            language = defaultLanguage;
        }
        String languageRefusal = languageRefusal(language);
        if (languageRefusal != null) {
            throw new IngestError("bad_language", IngestError.INVALID_PAYLOAD, languageRefusal);
        }
        ChannelStrategy strategy = null;
        if (json.hasNonNull("channel_strategy")) {
            try {
                strategy = ChannelStrategy.parse(json.get("channel_strategy").asText());
            } catch (IllegalArgumentException e) {
                throw new IngestError("bad_start", IngestError.INVALID_PAYLOAD, e.getMessage());
            }
        }
        return new StreamStart(codec, rate, channels, timescale, ptsBits, language, strategy);
    }

    /**
     * Why {@code language} is not a language tag livecap takes, or null if it is: the shape of BCP 47 (a 2-8 letter
     * primary subtag, then subtags of 1-8 letters or digits, joined by hyphens), at most {@value #MAX_LANGUAGE_CHARS}
     * characters (RFC 5646's longest well-formed tag it asks implementations to take). It goes into every caption.
     */
    public static String languageRefusal(String language) {
        if (language.length() > MAX_LANGUAGE_CHARS) {
            return "language is " + language.length() + " characters long; a language tag has at most "
                    + MAX_LANGUAGE_CHARS;
        }
        if (!LANGUAGE_TAG.matcher(language).matches()) {
            return "language \"" + language + "\" is not a BCP 47 language tag (like en-US, fr, zh-Hant-TW)";
        }
        return null;
    }

    public boolean isPcm() {
        return PCM.equals(codec);
    }

    /**
     * The PCM that comes out of the decoder for a compressed stream: 16 kHz stereo (two channels so audio health can
     * judge them), on the source's own pts clock.
     */
    public StreamStart decoded() {
        return new StreamStart(PCM, DecodedAudioListener.SAMPLE_RATE, DecodedAudioListener.CHANNELS, timescale,
                ptsBits, language, channelStrategy);
    }

    public int bytesPerFrame() {
        return channels * 2;
    }

    private static int intField(JsonNode json, String name, int fallback, int min, int max) {
        JsonNode node = json.get(name);
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || !node.isIntegralNumber()) {
            throw new IngestError("bad_start", IngestError.INVALID_PAYLOAD,
                    "\"" + name + "\" must be an integer, got " + node);
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw new IngestError("bad_start", IngestError.INVALID_PAYLOAD,
                    "\"" + name + "\" must be between " + min + " and " + max + ", got " + value);
        }
        return (int) value;
    }
}
