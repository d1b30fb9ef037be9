package io.livecap.audio;

/**
 * Turns interleaved 16-bit PCM into the mono signal the recogniser hears, by a {@link ChannelStrategy}
 * (normally {@link AudioHealth#effectiveStrategy()}). Exactly one output sample per input frame, always.
 *
 * <p>A change of strategy cross-fades over 20 ms: switching at once from a cancelled sum to an inverted right
 * channel would jump from silence to full level in one sample, a click the recogniser hears as a plosive.
 * The strategies work on channels 1 and 2; {@code sum} averages every channel; a mono source passes through.
 * One instance per stream; not thread-safe.
 */
public final class ChannelMixer {

    private static final int FADE_MS = 20;

    private final int channels;
    private final int fadeFrames;
    private ChannelStrategy current;
    private ChannelStrategy previous;
    private int fadeDone;

    public ChannelMixer(int channels, int sampleRate) {
        if (channels < 1 || sampleRate < 1) {
            throw new IllegalArgumentException("bad format: " + sampleRate + " Hz, " + channels + " channels");
        }
        this.channels = channels;
        this.fadeFrames = Math.max(1, sampleRate * FADE_MS / 1000);
    }

    /** Mixes {@code frames} frames into a new array of {@code frames} samples. */
    public short[] mix(short[] interleaved, int frames, ChannelStrategy strategy) {
        short[] mono = new short[frames];
        mix(interleaved, frames, strategy, mono);
        return mono;
    }

    /** Mixes {@code frames} frames into {@code mono[0, frames)}. */
    public void mix(short[] interleaved, int frames, ChannelStrategy strategy, short[] mono) {
        mix(interleaved, 0, frames, strategy, mono, 0);
    }

    /** Mixes frames {@code [firstFrame, firstFrame + frames)} of {@code interleaved} into {@code mono} at {@code at}. */
    public void mix(short[] interleaved, int firstFrame, int frames, ChannelStrategy strategy, short[] mono, int at) {
        if (strategy == ChannelStrategy.AUTO) {
            throw new IllegalArgumentException("auto is not a mix: pass AudioHealth.effectiveStrategy()");
        }
        if (firstFrame < 0 || frames < 0 || (long) (firstFrame + frames) * channels > interleaved.length
                || at < 0 || at + frames > mono.length) {
            throw new IllegalArgumentException(frames + " frames of " + channels + " channels do not fit");
        }
        if (channels == 1) {
            System.arraycopy(interleaved, firstFrame, mono, at, frames);
            return;
        }
        if (current == null) {
            current = strategy;
        } else if (strategy != current) {
            previous = current;
            current = strategy;
            fadeDone = 0;
        }
        int f = 0;
        for (; f < frames && previous != null; f++) {
            int i = (firstFrame + f) * channels;
            int from = sample(previous, interleaved, i);
            int to = sample(current, interleaved, i);
            fadeDone++;
            mono[at + f] = (short) (from + (to - from) * fadeDone / fadeFrames);
            if (fadeDone == fadeFrames) {
                previous = null;
            }
        }
        steady(interleaved, firstFrame + f, at + f, frames - f, mono);
    }

    /** The strategy of the last mix call; null before the first. */
    public ChannelStrategy strategy() {
        return current;
    }

    /** The hot path: one tight loop per strategy, no per-sample switch. */
    private void steady(short[] in, int firstFrame, int at, int count, short[] out) {
        int c = channels;
        int end = at + count;
        switch (current) {
            case LEFT -> {
                for (int o = at, i = firstFrame * c; o < end; o++, i += c) {
                    out[o] = in[i];
                }
            }
            case RIGHT -> {
                for (int o = at, i = firstFrame * c + 1; o < end; o++, i += c) {
                    out[o] = in[i];
                }
            }
            case INVERT_RIGHT -> {
                for (int o = at, i = firstFrame * c; o < end; o++, i += c) {
                    out[o] = (short) ((in[i] - in[i + 1]) >> 1);
                }
            }
            default -> {
                if (c == 2) {
                    for (int o = at, i = firstFrame * 2; o < end; o++, i += 2) {
                        out[o] = (short) ((in[i] + in[i + 1]) >> 1);
                    }
                } else {
                    for (int o = at, i = firstFrame * c; o < end; o++, i += c) {
                        out[o] = (short) sample(current, in, i);
                    }
                }
            }
        }
    }

    private int sample(ChannelStrategy strategy, short[] in, int i) {
        return switch (strategy) {
            case LEFT -> in[i];
            case RIGHT -> in[i + 1];
            case INVERT_RIGHT -> (in[i] - in[i + 1]) >> 1;
            case SUM, SWAP, AUTO -> {
                if (channels == 2) {
                    yield (in[i] + in[i + 1]) >> 1;
                }
                int sum = 0;
                for (int k = 0; k < channels; k++) {
                    sum += in[i + k];
                }
                yield sum / channels;
            }
        };
    }
}
