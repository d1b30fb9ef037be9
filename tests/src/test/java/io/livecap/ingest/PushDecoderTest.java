package io.livecap.ingest;

import io.livecap.testkit.DecodedAudioRecorder;
import io.livecap.testkit.TestMedia;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
        DecodedAudioRecorder heard = push("mpegts", 90_000, 33, pieces);

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
        DecodedAudioRecorder heard = push("flv", 1_000, 32, pieces);

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
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
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
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
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
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
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
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        PushDecoder decoder = PushDecoder.start("closing", "mpegts", 90_000, 33, heard);
        long pid = decoder.pid();
        TestMedia.Piece first = TestMedia.tsPieces(TestMedia.lecture("mpegts", 10), 4).get(0);
        decoder.write(new Chunk(first.pts(), System.currentTimeMillis(), first.bytes()));
        decoder.close(); // mid-stream, without endOfInput
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "ffmpeg " + pid + " is dead");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith("-closing")),
                "no decoder thread of the stream is left");
        assertFalse(heard.failed.isDone(), "close is not a failure");
        assertEquals(List.of(), TestMedia.runningDecoders(), "no decoding ffmpeg is left");
    }

    @ParameterizedTest
    @CsvSource({"aac, adts, aac", "ogg, ogg, libopus", "webm, webm, libopus"})
    void everyOtherContainerTheIngestAcceptsDecodesWhole(String codec, String muxer, String encoder) throws Exception {
        Path file = TestMedia.encoded("lecture-10s." + codec, "-t", "10", "-ac", "2", "-c:a", encoder, "-f", muxer);
        long firstHeader = 900_000; // 10 s: ADTS has no timestamps, so its pts count on from the first header
        DecodedAudioRecorder heard = push(codec, 90_000, 33, TestMedia.pieces(file, 4_096, firstHeader));

        long expectedMs = TestMedia.decodeWhole(file).length / 64L;
        assertEquals(expectedMs, heard.samples() / 16, 5, "ms of audio out, as a whole-file decode gives");
        List<Chunk> out = heard.chunks();
        if (codec.equals("aac")) {
            assertEquals(firstHeader, out.get(0).pts());
        }
        for (int i = 1; i < out.size(); i++) {
            long step = out.get(i).pts() - out.get(i - 1).pts();
            long frameTicks = out.get(i - 1).payload().length / 4 * 90_000L / 16_000;
            // Debian's ffmpeg 5.1 trims the resampler's priming from the first Opus frame (8 samples at 16 kHz,
            // 45 ticks) while its successor keeps the source's pts: the first step may be up to 1 ms long
            assertEquals(frameTicks, step, i == 1 ? 90 : 2, "pts advance by the audio in between, chunk " + i);
        }
    }

    @Test
    void monoComesOutAsDualMonoAndSurroundIsDownmixedToStereo() throws Exception {
        Path mono = TestMedia.encoded("lecture-10s-mono.ts", "-t", "10", "-ac", "1", "-c:a", "aac", "-f", "mpegts");
        DecodedAudioRecorder heard = push("mpegts", 90_000, 33, TestMedia.tsPieces(mono, 4));
        short[] pcm = samples(heard);
        for (int i = 0; i < pcm.length; i += 2) {
            assertEquals(pcm[i], pcm[i + 1], "left equals right at frame " + i / 2);
        }
        assertTrue(rms(pcm, 0) > 300, "and it is speech, not silence: " + rms(pcm, 0));

        // 5.1 with the speech only in front left: the stereo down-mix keeps it on the left
        Path surround = TestMedia.encoded("lecture-10s-51.ts", "-t", "10", "-af",
                "pan=5.1|FL=c0|FR=0*c0|FC=0*c0|LFE=0*c0|BL=0*c0|BR=0*c0", "-c:a", "aac", "-f", "mpegts");
        pcm = samples(push("mpegts", 90_000, 33, TestMedia.tsPieces(surround, 4)));
        assertTrue(rms(pcm, 0) > 300, "left carries the speech: " + rms(pcm, 0));
        assertTrue(rms(pcm, 1) < rms(pcm, 0) / 100, "right is near silent: " + rms(pcm, 1));
    }

    @Test
    void pushedAtLivePaceAudioComesOutPromptly() throws Exception {
        List<TestMedia.Piece> pieces = TestMedia.tsPieces(TestMedia.lecture("mpegts", 10), 1);
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        long cpuMs;
        long pacedMs;
        try (PushDecoder decoder = PushDecoder.start("paced", "mpegts", 90_000, 33, heard)) {
            long start = System.currentTimeMillis();
            long firstPts = pieces.get(0).pts();
            for (TestMedia.Piece piece : pieces.subList(0, 40)) { // about 10 s of the lecture
                long due = start + (piece.pts() - firstPts) / 90;
                Thread.sleep(Math.max(0, due - System.currentTimeMillis())); // a live source's pace
                decoder.write(new Chunk(piece.pts(), System.currentTimeMillis(), piece.bytes()));
            }
            pacedMs = System.currentTimeMillis() - start;
            cpuMs = ProcessHandle.of(decoder.pid()).flatMap(p -> p.info().totalCpuDuration())
                    .map(Duration::toMillis).orElse(-1L);
            decoder.endOfInput();
            heard.awaitEnd(Duration.ofSeconds(10));
        }
        List<Chunk> out = heard.chunks();
        long[] lags = new long[out.size()];
        for (int i = 0; i < out.size(); i++) {
            lags[i] = heard.heardAtMs.get(i) - out.get(i).receivedEpochMs();
        }
        long firstAudioMs = lags[0];
        long[] steady = Arrays.stream(lags, out.size() / 4, out.size() * 3 / 4).sorted().toArray();
        long medianMs = steady[steady.length / 2];
        System.out.printf(Locale.ROOT, "[media] push mpegts: first audio %d ms after its chunk arrived; steady added "
                        + "latency %d ms (median), %d ms (max); ffmpeg CPU %.1f %% of one core%n",
                firstAudioMs, medianMs, steady[steady.length - 1], 100.0 * cpuMs / pacedMs);
        assertTrue(medianMs < 500, "decoding adds " + medianMs + " ms");
    }

    private static short[] samples(DecodedAudioRecorder heard) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        heard.chunks().forEach(c -> all.writeBytes(c.payload()));
        short[] pcm = new short[all.size() / 2];
        ByteBuffer.wrap(all.toByteArray()).order(ByteOrder.LITTLE_ENDIAN).asShortBuffer().get(pcm);
        return pcm;
    }

    private static double rms(short[] interleaved, int channel) {
        double sum = 0;
        for (int i = channel; i < interleaved.length; i += 2) {
            sum += (double) interleaved[i] * interleaved[i];
        }
        return Math.sqrt(sum / (interleaved.length / 2.0));
    }

    private static DecodedAudioRecorder push(String codec, long timescale, int ptsBits, List<TestMedia.Piece> pieces)
            throws Exception {
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
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
    private static void assertAllAudioCameOut(Path file, DecodedAudioRecorder heard) throws Exception {
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
