package io.livecap.asr.vosk;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * What {@code bench/run --vosk-tones} needs to measure the vosk engine where no real model can be downloaded:
 * the generated {@link TestVoskModel} (it recognises two tones, "beep" and "boop", not speech) and a minute of
 * tone bursts with its transcript. Latency, timing, CPU and memory through livecap are then real libvosk numbers;
 * the WER and the engine's cost are those of a two-word model, not of English.
 *
 * <p>Usage: {@code java -cp tests/target/test-classes:target/livecap.jar io.livecap.asr.vosk.ToneBenchFiles DIR [SECONDS]}
 * writes {@code DIR/model/}, {@code DIR/tones-<SECONDS>s.wav} and {@code .txt} (60 s unless told).
 */
public final class ToneBenchFiles {

    private ToneBenchFiles() {
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "target/bench/vosk-tones");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        TestVoskModel.generate(dir.resolve("model"));
        // utterances of 2-4 bursts with 0.4-0.7 s gaps, ended by 1.3 s of silence (the model's endpoint is 1 s)
        Random random = new Random(7);
        ToneBursts tones = new ToneBursts().silence(500);
        while (tones.bursts().isEmpty() || tones.bursts().get(tones.bursts().size() - 1).endMs() < seconds * 1000L - 2_000) {
            int count = 2 + random.nextInt(3);
            for (int i = 0; i < count; i++) {
                long ms = 300 + random.nextInt(400);
                tones = random.nextBoolean() ? tones.beep(ms) : tones.boop(ms);
                tones.silence(i == count - 1 ? 1300 : 400 + random.nextInt(300));
            }
        }
        String name = "tones-" + seconds + "s";
        writeWav(dir.resolve(name + ".wav"), tones.samples());
        Files.writeString(dir.resolve(name + ".txt"), String.join(" ", tones.words()) + "\n");
        System.out.println(dir.toAbsolutePath() + ": model/, " + name + ".wav (" + tones.bursts().size() + " bursts)");
    }

    private static void writeWav(Path file, short[] samples) throws IOException {
        ByteBuffer wav = ByteBuffer.allocate(44 + samples.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        wav.put("RIFF".getBytes()).putInt(36 + samples.length * 2).put("WAVE".getBytes())
                .put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(ToneBursts.SAMPLE_RATE).putInt(ToneBursts.SAMPLE_RATE * 2).putShort((short) 2)
                .putShort((short) 16).put("data".getBytes()).putInt(samples.length * 2);
        for (short s : samples) {
            wav.putShort(s);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, wav.array());
    }
}
