package io.livecap.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Stereo speech no part of livecap was tuned on, made with flite at test time: a newscast that starts after 2 s of
 * silence, and an interview with one microphone per speaker.
 *
 * @param left      channel 1, 16 kHz
 * @param right     channel 2, 16 kHz
 * @param reference what is said, lower case, in order
 * @param onsetMs   where speech starts: the first 10 ms above -50 dBFS on either channel
 */
public record HeldOutSpeech(short[] left, short[] right, String reference, long onsetMs) {

    public static final int RATE = 16_000;
    private static final int GAP_MS = 400;

    private static final String[] NEWS = {
        "good morning and welcome to the evening news",
        "the school board voted to hire more teachers next year",
        "a new bridge will open across the river in the spring",
        "the museum will stay open late on saturday night",
        "police asked drivers to avoid the main road until noon",
    };

    /** Host (slt) and guest (rms) take turns of three to five seconds. */
    private static final String[][] INTERVIEW = {
        {"slt", "thank you for joining us this morning to talk about the new library"},
        {"rms", "thank you for having me it is a pleasure to be here with you today"},
        {"slt", "how long did it take the city council to approve the plan"},
        {"rms", "it took almost two years because the budget had to be changed several times"},
        {"slt", "what will the library offer that the old building did not"},
        {"rms", "there will be a large room for children and a quiet place for students to read"},
        {"slt", "when do you expect the doors to open for the public"},
        {"rms", "if the weather is good the building should be finished early next summer"},
    };

    /** The newscast (voice rms) on one channel; the caller makes the other. Speech starts at about 2.0 s. */
    public static HeldOutSpeech news(Path dir) throws IOException, InterruptedException {
        List<short[]> parts = new ArrayList<>();
        for (String sentence : NEWS) {
            parts.add(Flite.say(dir, "rms", sentence));
        }
        short[] mono = new short[2 * RATE + parts.stream().mapToInt(p -> p.length + RATE / 2).sum()];
        int at = 2 * RATE;
        for (short[] part : parts) {
            System.arraycopy(part, 0, mono, at, part.length);
            at += part.length + RATE / 2;
        }
        return new HeldOutSpeech(mono, mono.clone(), String.join(" ", NEWS), onsetMs(mono, mono));
    }

    /**
     * Host on the left microphone only, guest on the right only (hard-panned, no crosstalk), 0.4 s between turns;
     * with {@code overlapMs} > 0 each turn starts that long before the previous one ends instead.
     */
    public static HeldOutSpeech interview(Path dir, int overlapMs) throws IOException, InterruptedException {
        List<short[]> turns = new ArrayList<>();
        for (String[] turn : INTERVIEW) {
            turns.add(Flite.say(dir, turn[0], turn[1]));
        }
        int step = overlapMs > 0 ? -overlapMs * RATE / 1000 : GAP_MS * RATE / 1000;
        int length = RATE / 2 + turns.stream().mapToInt(t -> t.length + step).sum() + RATE;
        short[] left = new short[length];
        short[] right = new short[length];
        int at = RATE / 2;
        StringBuilder reference = new StringBuilder();
        for (int i = 0; i < turns.size(); i++) {
            short[] turn = turns.get(i);
            System.arraycopy(turn, 0, i % 2 == 0 ? left : right, at, turn.length);
            at += turn.length + step;
            reference.append(i == 0 ? "" : " ").append(INTERVIEW[i][1]);
        }
        return new HeldOutSpeech(left, right, reference.toString(), onsetMs(left, right));
    }

    public HeldOutSpeech withLeft(short[] channel) {
        return new HeldOutSpeech(channel, right, reference, onsetMs);
    }

    public HeldOutSpeech withRight(short[] channel) {
        return new HeldOutSpeech(left, channel, reference, onsetMs);
    }

    public int frames() {
        return left.length;
    }

    public short[] interleaved() {
        short[] out = new short[2 * left.length];
        for (int i = 0; i < left.length; i++) {
            out[2 * i] = left[i];
            out[2 * i + 1] = right[i];
        }
        return out;
    }

    /** (L + R) / 2, what a plain mono down-mix gives. */
    public short[] monoSum() {
        short[] out = new short[left.length];
        for (int i = 0; i < left.length; i++) {
            out[i] = (short) ((left[i] + right[i]) >> 1);
        }
        return out;
    }

    public static short[] inverted(short[] channel) {
        short[] out = new short[channel.length];
        for (int i = 0; i < channel.length; i++) {
            out[i] = (short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, -channel[i]));
        }
        return out;
    }

    public static short[] silence(int length) {
        return new short[length];
    }

    public String firstWord() {
        return reference.split(" ")[0];
    }

    private static long onsetMs(short[] left, short[] right) {
        int block = RATE / 100;
        for (int i = 0; i + block <= left.length; i += block) {
            double sum = 0;
            for (int k = i; k < i + block; k++) {
                sum += Math.max((double) left[k] * left[k], (double) right[k] * right[k]);
            }
            if (20 * Math.log10(Math.sqrt(sum / block) / 32768 + 1e-12) > -50) {
                return i * 1000L / RATE;
            }
        }
        throw new IllegalStateException("no speech in " + Arrays.toString(Arrays.copyOf(left, 4)) + "...");
    }
}
