package io.livecap.ingest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class PushDecoderTest {

    private static final long TS_MODULUS = 1L << 33;
    private static final long EPOCH_BASE = 1_700_000_000_000L;

    @Test
    void pushedMpegTsComesOutWholeWithItsOwnWrappingPtsAndArrivalEpochs() throws Exception {
        // starts 30 s before 2^33 / 90 kHz, so the pts wrap in the middle of the lecture
        Path ts = TestMedia.lecture("mpegts", TestMedia.TS_WRAP_S - 30);
        List<TestMedia.Piece> pieces = TestMedia.tsPieces(ts, 4);
        RecordingListener heard = push("mpegts", 90_000, 33, pieces);

        assertAllAudioCameOut(ts, heard);
        List<Chunk> out = heard.chunks();
        List<Long> pes = TestMedia.tsPesPts(ts);
        assertEquals(pes.get(0), out.get(0).pts(), "first chunk's pts is the first PES's");
        int wraps = 0;
        for (int i = 1; i < out.size(); i++) {
            long step = out.get(i).pts() - out.get(i - 1).pts();
            if (step < 0) {
                wraps++;
                step += TS_MODULUS;
            }
            assertEquals(5760, step, "1024 samples at 16 kHz are 5760 ticks of 90 kHz, chunk " + i);
            assertTrue(out.get(i).pts() < TS_MODULUS);
        }
        assertEquals(1, wraps, "the wrap at 2^33 is reproduced once, exactly");
        List<Long> outPts = out.stream().map(Chunk::pts).toList();
        assertTrue(outPts.containsAll(pes), "every PES's pts starts an output chunk");
        assertEpochsAreThoseOfTheChunksThatHeldTheAudio(pieces, out, TS_MODULUS);
    }

    @Test
    void pushedFlvComesOutWholeWithItsMillisecondTimestampsAndArrivalEpochs() throws Exception {
        Path flv = TestMedia.lecture("flv", 3_600);
        List<TestMedia.Piece> pieces = TestMedia.flvPieces(flv, 5);
        RecordingListener heard = push("flv", 1_000, 32, pieces);

        assertAllAudioCameOut(flv, heard);
        List<Chunk> out = heard.chunks();
        assertEquals(pieces.get(0).pts(), out.get(0).pts(), "first chunk's pts is the first audio tag's");
        assertTrue(out.get(0).pts() >= 3_599_000, "the FLV's own clock, not zero: " + out.get(0).pts());
        for (int i = 1; i < out.size(); i++) {
            assertEquals(64, out.get(i).pts() - out.get(i - 1).pts(), "1024 samples are 64 ms, chunk " + i);
        }
        assertEpochsAreThoseOfTheChunksThatHeldTheAudio(pieces, out, 1L << 32);
    }

    @Test
    void garbageInputFailsClearlyAndQuickly() throws Exception {
        RecordingListener heard = new RecordingListener();
        byte[] garbage = new byte[64 * 1024];
        Random random = new Random(42);
        long started = System.nanoTime();
        try (PushDecoder decoder = PushDecoder.start("garbage", "mpegts", 90_000, 33, heard)) {
            for (int i = 0; i < 48 && !heard.failed.isDone(); i++) { // 3 MiB, past the no-audio limit
                random.nextBytes(garbage);
                decoder.write(new Chunk(i * 3_000L, System.currentTimeMillis(), garbage.clone()));
            }
            String failure = heard.awaitFailure(Duration.ofSeconds(15));
            long tookMs = (System.nanoTime() - started) / 1_000_000;
            assertTrue(failure.contains("no audio decoded") && failure.contains("mpegts"), failure);
            assertTrue(tookMs < 5_000, "failed after " + tookMs + " ms");
            assertTrue(heard.chunks().isEmpty());
            assertFalse(heard.ended.isDone());
        }
    }

    @Test
    void flvThatIsNotFlvFailsWithFfmpegsReason() throws Exception {
        RecordingListener heard = new RecordingListener();
        try (PushDecoder decoder = PushDecoder.start("not-flv", "flv", 1_000, 32, heard)) {
            decoder.write(new Chunk(0, System.currentTimeMillis(), "this is not a video".repeat(100).getBytes()));
            decoder.endOfInput();
            String failure = heard.awaitFailure(Duration.ofSeconds(10));
            assertTrue(failure.startsWith("decoder exited with code 1: "), failure);
        }
    }

    @Test
    void killedDecoderFailsTheStreamInsteadOfHangingIt() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 10);
        List<TestMedia.Piece> pieces = TestMedia.tsPieces(ts, 4);
        RecordingListener heard = new RecordingListener();
        try (PushDecoder decoder = PushDecoder.start("killed", "mpegts", 90_000, 33, heard)) {
            for (TestMedia.Piece piece : pieces.subList(0, 20)) {
                decoder.write(new Chunk(piece.pts(), System.currentTimeMillis(), piece.bytes()));
            }
            heard.await("first audio", Duration.ofSeconds(10), h -> !h.chunks.isEmpty());
            ProcessHandle.of(decoder.pid()).orElseThrow().destroyForcibly();
            String failure = heard.awaitFailure(Duration.ofSeconds(10));
            assertTrue(failure.startsWith("decoder exited with code 137 (killed by signal 9): "), failure);
            decoder.write(new Chunk(0, System.currentTimeMillis(), pieces.get(21).bytes())); // ignored, no throw
        }
    }

    @Test
    void closeLeavesNoFfmpegAndNoThreadBehind() throws Exception {
        RecordingListener heard = new RecordingListener();
        PushDecoder decoder = PushDecoder.start("closing", "mpegts", 90_000, 33, heard);
        long pid = decoder.pid();
        TestMedia.Piece first = TestMedia.tsPieces(TestMedia.lecture("mpegts", 10), 4).get(0);
        decoder.write(new Chunk(first.pts(), System.currentTimeMillis(), first.bytes()));
        decoder.close(); // mid-stream, without endOfInput
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "ffmpeg " + pid + " is dead");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("-closing")),
                "no decoder thread of the stream is left");
        assertFalse(heard.failed.isDone(), "close is not a failure");
    }

    private static RecordingListener push(String codec, long timescale, int ptsBits, List<TestMedia.Piece> pieces)
            throws Exception {
        RecordingListener heard = new RecordingListener();
        try (PushDecoder decoder = PushDecoder.start(codec + "-push", codec, timescale, ptsBits, heard)) {
            for (int i = 0; i < pieces.size(); i++) {
                decoder.write(new Chunk(pieces.get(i).pts(), EPOCH_BASE + i * 1000L, pieces.get(i).bytes()));
            }
            decoder.endOfInput();
            heard.awaitEnd(Duration.ofSeconds(30));
        }
        return heard;
    }

    /** The streamed PCM is exactly what ffmpeg decodes from the whole file: nothing dropped, nothing added. */
    private static void assertAllAudioCameOut(Path file, RecordingListener heard) throws Exception {
        byte[] expected = TestMedia.decodeWhole(file);
        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        heard.chunks().forEach(c -> streamed.writeBytes(c.payload()));
        long expectedMs = expected.length / 64L;
        long streamedMs = streamed.size() / 64L;
        assertEquals(expectedMs, streamedMs, 3, "duration in ms");
        assertArrayEquals(expected, streamed.toByteArray(), "same PCM as a whole-file decode");
        long lectureMs = 61_375;
        assertEquals(lectureMs, streamedMs, 130, "the lecture plus AAC priming and padding (up to 2 frames)");
    }

    /** Each PCM chunk carries the arrival of the input chunk whose first packet pts is the last at or before its own. */
    private static void assertEpochsAreThoseOfTheChunksThatHeldTheAudio(List<TestMedia.Piece> pieces, List<Chunk> out,
                                                                         long modulus) {
        List<Long> starts = unwrap(pieces.stream().map(TestMedia.Piece::pts).toList(), modulus);
        List<Long> outPts = unwrap(out.stream().map(Chunk::pts).toList(), modulus);
        int piece = 0;
        for (int i = 0; i < out.size(); i++) {
            while (piece + 1 < starts.size() && starts.get(piece + 1) <= outPts.get(i)) {
                piece++;
            }
            assertEquals(EPOCH_BASE + piece * 1000L, out.get(i).receivedEpochMs(), "epoch of output chunk " + i);
        }
        assertEquals(pieces.size() - 1, piece, "audio of the last input chunk came out too");
    }

    private static List<Long> unwrap(List<Long> raw, long modulus) {
        List<Long> out = new ArrayList<>();
        long offset = 0;
        for (int i = 0; i < raw.size(); i++) {
            if (i > 0 && raw.get(i) < raw.get(i - 1) - modulus / 2) {
                offset += modulus;
            }
            out.add(raw.get(i) + offset);
        }
        return out;
    }

}
