package io.livecap.ingest;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Any audio file ffmpeg reads, decoded to interleaved 16-bit PCM at its own sample rate and channel count
 * (livecap's server does the converting, so {@code feed} exercises it).
 */
public final class AudioFileReader implements Closeable {

    private static final Pattern AUDIO_STREAM = Pattern.compile("Stream #\\S+.*?: Audio: .*?, (\\d+) Hz, ([^,]+)");
    private static final Map<String, Integer> LAYOUT_CHANNELS = Map.of("mono", 1, "stereo", 2, "2.1", 3, "3.0", 3,
            "quad", 4, "4.0", 4, "5.0", 5, "5.1", 6, "6.1", 7, "7.1", 8);

    private final int sampleRate;
    private final int channels;
    private final Process process;
    private final InputStream pcm;

    private AudioFileReader(int sampleRate, int channels, Process process) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.process = process;
        this.pcm = process.getInputStream();
    }

    public static AudioFileReader open(Path file) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file);
        }
        Matcher audio = probe(file);
        int rate = Integer.parseInt(audio.group(1));
        int channels = channelsOf(audio.group(2).strip());
        Process process = Ffmpeg.command(List.of("-nostdin", "-nostats", "-loglevel", "error", "-i", file.toString(),
                        "-vn", "-map", "0:a:0", "-ac", String.valueOf(channels), "-ar", String.valueOf(rate),
                        "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new AudioFileReader(rate, channels, process);
    }

    /**
     * The first audio stream's rate and layout from {@code ffmpeg -i}. Not JAVE's {@code MultimediaObject}: it runs
     * ffmpeg without livecap's GCONV_PATH fix, and the static build then segfaults on MPEG-TS files.
     */
    private static Matcher probe(Path file) throws IOException {
        Process process = Ffmpeg.command(List.of("-hide_banner", "-nostdin", "-i", file.toString()))
                .redirectErrorStream(true).start();
        String info;
        try (InputStream out = process.getInputStream()) {
            info = new String(out.readAllBytes(), StandardCharsets.UTF_8);
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while probing " + file, e);
        }
        Matcher audio = AUDIO_STREAM.matcher(info);
        if (!audio.find()) {
            String last = info.strip().lines().reduce((a, b) -> b).orElse("");
            throw new IOException(file + ": no audio stream ffmpeg can read (" + last + ")");
        }
        return audio;
    }

    private static int channelsOf(String layout) {
        Matcher counted = Pattern.compile("(\\d+) channels").matcher(layout);
        if (counted.find()) {
            return Integer.parseInt(counted.group(1));
        }
        return LAYOUT_CHANNELS.getOrDefault(layout.replaceAll("\\(.*\\)", ""), 2);
    }

    public int sampleRate() {
        return sampleRate;
    }

    public int channels() {
        return channels;
    }

    /** Fills {@code buffer} with whole sample frames; returns the bytes read, or -1 at the end. */
    public int read(byte[] buffer) throws IOException {
        int frameBytes = channels * 2;
        int want = buffer.length - buffer.length % frameBytes;
        int n = pcm.readNBytes(buffer, 0, want);
        if (n == 0) {
            return -1;
        }
        return n - n % frameBytes;
    }

    @Override
    public void close() throws IOException {
        pcm.close();
        process.destroy();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
