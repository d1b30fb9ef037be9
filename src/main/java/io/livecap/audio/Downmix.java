package io.livecap.audio;

/** Interleaved multi-channel PCM to mono by averaging the channels. */
public final class Downmix {

    private Downmix() {
    }

    public static short[] toMono(short[] interleaved, int frames, int channels) {
        if (channels == 1) {
            return java.util.Arrays.copyOf(interleaved, frames);
        }
        short[] mono = new short[frames];
        for (int f = 0, i = 0; f < frames; f++) {
            int sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += interleaved[i++];
            }
            mono[f] = (short) (sum / channels);
        }
        return mono;
    }
}
