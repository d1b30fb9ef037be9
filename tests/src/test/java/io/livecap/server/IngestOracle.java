package io.livecap.server;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the ingest endpoint must answer to a sequence of messages, from the contract (README "Ingest protocol" and
 * docs/ARCHITECTURE.md's error table), not from the server's code: the first error's code, or {@code "open"} (no
 * error, the connection still up), or {@code "eos"} (the stream ended normally, close 1000).
 */
final class IngestOracle {

    static final String OPEN = "open";
    static final String EOS = "eos";
    /**
     * The connection reset with no answer: what a client sees when the server closes on a message over the frame
     * limit while the client is still sending it (the unread rest makes the server's kernel send a reset).
     */
    static final String DROPPED = "dropped";

    /** Every documented error code of the ingest socket, with the close status(es) it comes with. */
    static final Map<String, Set<Integer>> DOCUMENTED = Map.ofEntries(
            Map.entry("not_started", Set.of(1008)),
            Map.entry("already_started", Set.of(1008)),
            Map.entry("unknown_type", Set.of(1008)),
            Map.entry("stream_busy", Set.of(1008)),
            Map.entry("ended", Set.of(1008)),
            Map.entry("start_timeout", Set.of(1008)),
            Map.entry("revoked", Set.of(1008)),
            Map.entry("unsupported_codec", Set.of(1003)),
            Map.entry("bad_json", Set.of(1007)),
            Map.entry("bad_start", Set.of(1007)),
            Map.entry("bad_language", Set.of(1007)),
            Map.entry("bad_chunk", Set.of(1007)),
            Map.entry("decoder_failed", Set.of(1007, 1011)),
            Map.entry("session_failed", Set.of(1011)),
            Map.entry("chunk_too_big", Set.of(1009)),
            Map.entry("server_busy", Set.of(1013)),
            // the websocket layer's, for every endpoint (README "Websocket hardening")
            Map.entry("too_big", Set.of(1009)),
            Map.entry("invalid_utf8", Set.of(1007)),
            Map.entry("bad_frame", Set.of(1002)));

    /** Warnings a source may get without its stream ending. */
    static final Set<String> WARNINGS = Set.of("pts_discontinuity");

    private static final int PTS_BYTES = 8;

    private final int maxFrameBytes;
    private final int maxChunkBytes;

    IngestOracle(int maxFrameBytes, int maxChunkBytes) {
        this.maxFrameBytes = maxFrameBytes;
        this.maxChunkBytes = maxChunkBytes;
    }

    /**
     * What to send of a generated sequence and the answers the contract allows for it: the messages up to the first
     * one that ends the stream (an error or eos), since the server closes then, and whatever a client sends after
     * the server's close can turn it into a TCP reset that takes the answer with it.
     */
    record Verdict(List<IngestInput> send, Set<String> answers) {
        /** Whether the server keeps the connection open, so a ping can tell when it has read everything. */
        boolean staysOpen() {
            return answers.contains(OPEN);
        }
    }

    Verdict verdict(List<IngestInput> messages) {
        for (int n = 1; n <= messages.size(); n++) {
            Set<String> answers = expect(messages.subList(0, n));
            if (!answers.contains(OPEN)) {
                return new Verdict(List.copyOf(messages.subList(0, n)), answers);
            }
        }
        return new Verdict(messages, expect(messages));
    }

    /** The answers the contract allows for {@code messages} sent in order on one fresh ingest socket. */
    Set<String> expect(List<IngestInput> messages) {
        boolean started = false;
        boolean pcm = true;
        int bytesPerFrame = 2;
        for (IngestInput message : messages) {
            String error = null;
            IngestInput whole = message instanceof IngestInput.Fragmented f ? f.whole() : message;
            if (message instanceof IngestInput.Ping) {
                continue;
            } else if (message.size() > maxFrameBytes) {
                error = "too_big";
            } else if (whole instanceof IngestInput.Rsv) {
                error = "bad_frame";
            } else if (whole instanceof IngestInput.BadUtf8) {
                error = "invalid_utf8";
            } else if (whole instanceof IngestInput.Text text) {
                switch (text.kind()) {
                    case NOT_AN_OBJECT -> error = "bad_json";
                    case OTHER_TYPE -> error = "unknown_type";
                    case EOS -> {
                        if (!started) {
                            error = "not_started";
                        } else if (!pcm) {
                            return Set.of(OPEN, EOS, "decoder_failed"); // ffmpeg decides when it is done
                        } else {
                            return Set.of(EOS); // the stream ends: its last finals, eos, close 1000
                        }
                    }
                    case START -> {
                        if (started) {
                            error = "already_started";
                        } else if (text.startVerdict() != null) {
                            error = text.startVerdict();
                        } else {
                            started = true;
                            pcm = text.bytesPerFrame() > 0;
                            bytesPerFrame = text.bytesPerFrame();
                        }
                    }
                }
            } else if (whole instanceof IngestInput.Binary binary) {
                int size = binary.size();
                if (!started) {
                    error = "not_started";
                } else if (size < PTS_BYTES) {
                    error = "bad_chunk";
                } else if (size - PTS_BYTES > maxChunkBytes) {
                    error = "chunk_too_big";
                } else if (!pcm) {
                    // a container's bytes go to ffmpeg, which may give up on garbage later
                    return Set.of(OPEN, "decoder_failed");
                } else if ((size - PTS_BYTES) % bytesPerFrame != 0) {
                    error = "bad_chunk";
                }
            }
            if (error != null) {
                return Set.of(error);
            }
        }
        if (!pcm) {
            return Set.of(OPEN, "decoder_failed");
        }
        return Set.of(OPEN);
    }

    /**
     * What the server's answers amount to, checked against the contract on the way: every message of a known type,
     * every error and warning a documented code, at most one error, and the error's close status the documented one.
     */
    static String outcome(FuzzClient.Answers answers) {
        if (!answers.problems().isEmpty()) {
            throw new AssertionError("the exchange went wrong: " + answers.problems() + "; got " + answers.texts());
        }
        String error = null;
        boolean eos = false;
        for (com.fasterxml.jackson.databind.JsonNode text : answers.texts()) {
            String type = text.path("type").asText();
            String code = text.path("code").asText();
            switch (type) {
                case "ready" -> { }
                case "eos" -> eos = true;
                case "warning" -> {
                    if (!WARNINGS.contains(code)) {
                        throw new AssertionError("undocumented warning " + text);
                    }
                }
                case "error" -> {
                    if (!DOCUMENTED.containsKey(code)) {
                        throw new AssertionError("undocumented error code " + text);
                    }
                    if (error != null) {
                        throw new AssertionError("a second error after " + error + ": " + text);
                    }
                    error = code;
                }
                default -> throw new AssertionError("a message of unknown type " + text);
            }
        }
        if (error != null) {
            if (answers.closeStatus() == null || !DOCUMENTED.get(error).contains(answers.closeStatus())) {
                throw new AssertionError("error " + error + " closed with " + answers.closeStatus()
                        + " (" + answers.closeReason() + "); documented: " + DOCUMENTED.get(error));
            }
            return error;
        }
        if (answers.closeStatus() != null) {
            if (answers.closeStatus() != 1000 || !eos) {
                throw new AssertionError("closed with " + answers.closeStatus() + " (" + answers.closeReason()
                        + ") and no error message; got " + answers.texts());
            }
            return EOS;
        }
        if (!answers.pong()) {
            if (answers.texts().isEmpty()) {
                return DROPPED;
            }
            throw new AssertionError("the connection dropped with no close frame; got " + answers.texts());
        }
        return OPEN;
    }
}
