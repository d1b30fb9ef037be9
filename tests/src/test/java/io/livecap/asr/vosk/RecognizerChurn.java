package io.livecap.asr.vosk;

import io.livecap.asr.RecognitionStream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run in a JVM of its own by {@link VoskDecodingContract}: opens streams on a model, feeds each some audio, closes it
 * mid-utterance, over and over, and prints its resident memory (VmRSS) along the way.
 *
 * <p>A child JVM because RSS in the test JVM moves by tens of MB as its heap grows and shrinks; here the heap is small,
 * fixed and touched up front ({@code -Xms=-Xmx}, {@code -XX:+AlwaysPreTouch}), so what RSS adds is native memory.
 *
 * <p>Arguments: model directory, raw s16le 16 kHz audio to feed each stream, number of cycles. Prints
 * {@code key=kB} lines: {@code warm} after warm-up, {@code churned} after the cycles, {@code held} with
 * {@value #HELD} more streams open at once (what a stream costs).
 */
final class RecognizerChurn {

    static final int WARM_UP = 50;
    static final int HELD = 20;

    private RecognizerChurn() {
    }

    public static void main(String[] args) throws IOException {
        short[] audio = readPcm(Path.of(args[1]));
        int cycles = Integer.parseInt(args[2]);
        try (VoskEngine engine = VoskEngine.load(Path.of(args[0]))) {
            for (int i = 0; i < WARM_UP; i++) {
                cycle(engine, audio);
            }
            long warm = rssKb();
            for (int i = 0; i < cycles; i++) {
                cycle(engine, audio);
            }
            long churned = rssKb();
            // Then streams held open at once: what each costs, to read the growth against. After the cycles, so that
            // memory the cycles freed (and malloc kept) serves one of them at most.
            List<RecognitionStream> held = new ArrayList<>();
            for (int i = 0; i < HELD; i++) {
                Transcript transcript = new Transcript();
                RecognitionStream stream = transcript.open(engine);
                transcript.feed(stream, audio, 0, audio.length);
                held.add(stream);
            }
            long heldKb = rssKb();
            held.forEach(RecognitionStream::close);
            System.out.println("warm=" + warm);
            System.out.println("churned=" + churned);
            System.out.println("held=" + heldKb);
        }
    }

    private static void cycle(VoskEngine engine, short[] audio) {
        Transcript transcript = new Transcript();
        try (RecognitionStream stream = transcript.open(engine)) {
            transcript.feed(stream, audio, 0, audio.length);
        }
    }

    static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IOException("no VmRSS in /proc/self/status");
    }

    static void writePcm(Path file, short[] samples) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asShortBuffer().put(samples);
        Files.write(file, bytes.array());
    }

    static short[] readPcm(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        short[] samples = new short[bytes.remaining() / 2];
        bytes.asShortBuffer().get(samples);
        return samples;
    }
}
