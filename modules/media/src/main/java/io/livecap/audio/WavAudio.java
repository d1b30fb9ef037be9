package io.livecap.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A whole PCM WAV file in memory: interleaved signed 16-bit samples. Only what livecap ships and tests with
 * (RIFF, format 1, 16-bit); anything else is rejected with a message that says what was found.
 */
public record WavAudio(int sampleRate, int channels, short[] samples) {

    public static WavAudio read(Path path) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            return read(in, path.toString());
        }
    }

    public static WavAudio read(InputStream in, String name) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(in.readAllBytes()).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.remaining() < 12 || buf.getInt(0) != 0x46464952 || buf.getInt(8) != 0x45564157) {
            throw new IOException(name + ": not a RIFF/WAVE file");
        }
        int pos = 12;
        int rate = 0;
        int channels = 0;
        while (pos + 8 <= buf.limit()) {
            int id = buf.getInt(pos);
            int size = buf.getInt(pos + 4);
            int body = pos + 8;
            if (id == 0x20746d66) { // "fmt "
                int format = buf.getShort(body) & 0xffff;
                channels = buf.getShort(body + 2);
                rate = buf.getInt(body + 4);
                int bits = buf.getShort(body + 14);
                if ((format != 1 && format != 0xfffe) || bits != 16) {
                    throw new IOException(name + ": WAV format " + format + " with " + bits
                            + " bits; only 16-bit PCM is supported (convert with ffmpeg or sox)");
                }
            } else if (id == 0x61746164) { // "data"
                if (rate == 0) {
                    throw new IOException(name + ": data chunk before fmt chunk");
                }
                int length = Math.min(size, buf.limit() - body) / 2;
                short[] samples = new short[length - length % channels];
                buf.position(body);
                buf.asShortBuffer().get(samples);
                return new WavAudio(rate, channels, samples);
            }
            pos = body + size + (size & 1);
        }
        throw new IOException(name + ": no data chunk");
    }

    public int frames() {
        return samples.length / channels;
    }

    public double durationSeconds() {
        return (double) frames() / sampleRate;
    }
}
