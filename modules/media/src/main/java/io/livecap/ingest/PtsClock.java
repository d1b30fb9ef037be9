package io.livecap.ingest;

/**
 * A stream's pts clock: {@code timescale} ticks per second, wrapping at 2^{@code ptsBits}. ffmpeg reports each output
 * frame's pts in 1/16000 s; this turns that into the source's own ticks.
 */
record PtsClock(long timescale, int ptsBits) {

    PtsClock {
        if (timescale <= 0 || ptsBits < 1 || ptsBits > 64) {
            throw new IllegalArgumentException("bad pts clock: timescale " + timescale + ", pts_bits " + ptsBits);
        }
    }

    /** 16 kHz pts to ticks, rounded: exact for 90 kHz and 1 kHz sources on whole frames. */
    long ticksOfOutputPts(long pts16k) {
        return Math.floorDiv(pts16k * timescale + DecodedAudioListener.SAMPLE_RATE / 2, DecodedAudioListener.SAMPLE_RATE);
    }

    long ticksOfSamples(long samples) {
        return samples * timescale / DecodedAudioListener.SAMPLE_RATE;
    }

    long ms(long ticks) {
        return ticks * 1000 / timescale;
    }

    /** Raw pts as the source would send it: ffmpeg may have unwrapped it (past 2^33), the source never does. */
    long wrap(long ticks) {
        return ptsBits >= 63 ? ticks : Math.floorMod(ticks, 1L << ptsBits);
    }

    /** Signed distance from {@code from} to {@code to}, the short way round the wrap. */
    long delta(long from, long to) {
        long d = to - from;
        if (ptsBits < 63) {
            long modulus = 1L << ptsBits;
            d = Math.floorMod(d, modulus);
            if (d >= modulus / 2) {
                d -= modulus;
            }
        }
        return d;
    }
}
