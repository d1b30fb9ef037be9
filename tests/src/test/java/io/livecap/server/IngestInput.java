package io.livecap.server;

import java.nio.charset.StandardCharsets;

/**
 * One websocket message a fuzzed ingest client sends, with what the generator knows about it, so that
 * {@link IngestOracle} can say what the server must answer without parsing it the way the server does.
 */
sealed interface IngestInput {

    /** What a text message is, as built. */
    enum TextKind { START, EOS, OTHER_TYPE, NOT_AN_OBJECT }

    /** Bytes on the wire (the payload of all its frames), for the frame-size limit. */
    int size();

    /**
     * @param startVerdict for {@code START}: the code the start must be refused with, or null if it is valid
     * @param bytesPerFrame for a valid PCM start: channels * 2; 0 for a container codec
     */
    record Text(String text, TextKind kind, String startVerdict, int bytesPerFrame) implements IngestInput {
        static Text other(String text, TextKind kind) {
            return new Text(text, kind, null, 0);
        }

        @Override
        public int size() {
            return text.getBytes(StandardCharsets.UTF_8).length;
        }

        @Override
        public String toString() {
            return "Text[" + kind + (startVerdict == null ? "" : " " + startVerdict) + " " + abbreviated(text) + "]";
        }
    }

    /** A binary message: an 8-byte pts then payload, or anything shorter. */
    record Binary(byte[] bytes) implements IngestInput {
        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes" + (bytes.length >= 8
                    ? ", pts " + java.nio.ByteBuffer.wrap(bytes, 0, 8).getLong() : "") + "]";
        }
    }

    /** A text frame whose payload is not UTF-8. */
    record BadUtf8(byte[] bytes) implements IngestInput {
        @Override
        public int size() {
            return bytes.length;
        }

        @Override
        public String toString() {
            return "BadUtf8[" + java.util.HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 24)) + "]";
        }
    }

    /** A binary frame with RSV1 set, which no negotiated extension explains. */
    record Rsv(byte[] bytes) implements IngestInput {
        @Override
        public int size() {
            return bytes.length;
        }
    }

    /** {@code whole} (text or binary) sent as {@code pieces} frames: a first frame and continuations. */
    record Fragmented(IngestInput whole, int pieces) implements IngestInput {
        @Override
        public int size() {
            return whole.size();
        }
    }

    /** A ping mid-stream: answered, never an error. */
    record Ping(int payloadBytes) implements IngestInput {
        @Override
        public int size() {
            return payloadBytes;
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 120) + "...(" + text.length() + " chars)..."
                + text.substring(text.length() - 40);
    }
}
