package io.livecap.ingest;

import ws.schild.jave.EncoderException;
import ws.schild.jave.MultimediaObject;
import ws.schild.jave.info.AudioInfo;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Any audio file ffmpeg reads, decoded to interleaved 16-bit PCM at its own sample rate and channel count
 * (livecap's server does the converting, so {@code feed} exercises it).
 */
public final class AudioFileReader implements Closeable {

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
        AudioInfo info;
        try {
            info = new MultimediaObject(file.toFile(), Ffmpeg::executable).getInfo().getAudio();
        } catch (EncoderException e) {
            throw new IOException(file + ": ffmpeg cannot read it: " + e.getMessage(), e);
        }
        if (info == null || info.getSamplingRate() <= 0 || info.getChannels() <= 0) {
            throw new IOException(file + ": no audio stream");
        }
        int rate = info.getSamplingRate();
        int channels = info.getChannels();
        Process process = Ffmpeg.command(List.of("-nostdin", "-nostats", "-loglevel", "error", "-i", file.toString(),
                        "-vn", "-map", "0:a:0", "-ac", String.valueOf(channels), "-ar", String.valueOf(rate),
                        "-f", "s16le", "-acodec", "pcm_s16le", "pipe:1"))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        return new AudioFileReader(rate, channels, process);
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
