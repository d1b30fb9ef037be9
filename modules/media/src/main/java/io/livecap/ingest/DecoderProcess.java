package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One ffmpeg process decoding one input to 16 kHz stereo s16le on stdout, with each output frame's source pts read
 * from {@code ashowinfo} on stderr.
 *
 * <p>{@code ashowinfo} is the last filter, so each of its lines describes exactly the next {@code nb_samples} frames
 * on stdout (logged just before they are written): stderr lines are queued and stdout bytes consumed against them.
 * {@code -copyts} keeps the source's timestamps, and {@code -correct_ts_overflow 0} stops the MPEG-TS demuxer
 * "correcting" wraps relative to the first pts (it gets streams that start near 2^33 wrong); the pts is wrapped again
 * in Java. Low probing gives first audio in about 0.4 s instead of 5 s. Never {@code -fflags nobuffer} (drops audio)
 * nor {@code aresample=async} (once wrote hours of silence on a pts reset).
 */
final class DecoderProcess implements AutoCloseable {

    /** One decoded frame: its pts in 1/16000 s (or {@link Long#MIN_VALUE} when ffmpeg has none) and its PCM. */
    record Frame(long pts16k, byte[] pcm) {
        int samples() {
            return pcm.length / (2 * DecodedAudioListener.CHANNELS);
        }
    }

    private record Line(long pts16k, int samples) {
    }

    private static final Logger log = LoggerFactory.getLogger(DecoderProcess.class);
    private static final Line END = new Line(0, -1);
    private static final Pattern SHOWINFO = Pattern.compile("Parsed_ashowinfo.*\\bpts:(\\S+).*\\bnb_samples:(\\d+)");
    private static final String FILTERS = "aresample=" + DecodedAudioListener.SAMPLE_RATE
            + ",aformat=sample_fmts=s16:sample_rates=" + DecodedAudioListener.SAMPLE_RATE
            + ":channel_layouts=stereo,ashowinfo";
    private static final int KEPT_LINES = 5;

    private final String name;
    private final Process process;
    private final InputStream stdout;
    private final Thread stderrReader;
    private final LinkedBlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private final List<String> lastLines = new ArrayList<>();
    private final UnaryOperator<String> redact;

    private DecoderProcess(String name, Process process, UnaryOperator<String> redact) {
        this.name = name;
        this.process = process;
        this.redact = redact;
        this.stdout = process.getInputStream();
        this.stderrReader = new Thread(this::readStderr, "ffmpeg-stderr-" + name);
        this.stderrReader.setDaemon(true);
        this.stderrReader.start();
    }

    /**
     * Starts ffmpeg reading {@code input} ({@code pipe:0} for stdin) with {@code inputOptions} before it.
     * {@code redact} scrubs secrets (a stream key inside a URL) from every stderr line before it is logged or kept.
     */
    static DecoderProcess start(String name, List<String> inputOptions, String input, UnaryOperator<String> redact)
            throws IOException {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
                "-correct_ts_overflow", "0", "-probesize", "32", "-analyzeduration", "0", "-copyts"));
        args.addAll(inputOptions);
        args.addAll(List.of("-i", input, "-vn", "-sn", "-dn", "-af", FILTERS, "-f", "s16le", "pipe:1"));
        Process process = Ffmpeg.command(args).start();
        log.debug("{}: ffmpeg pid {} reading {}", name, process.pid(), redact.apply(input));
        return new DecoderProcess(name, process, redact);
    }

    OutputStream stdin() {
        return process.getOutputStream();
    }

    long pid() {
        return process.pid();
    }

    /** The next decoded frame, or null once ffmpeg has written everything (it exited or is about to). */
    Frame next() throws IOException, InterruptedException {
        Line line = lines.take();
        if (line == END) {
            lines.add(END);
            return null;
        }
        byte[] pcm = stdout.readNBytes(line.samples * 2 * DecodedAudioListener.CHANNELS);
        if (pcm.length < line.samples * 2 * DecodedAudioListener.CHANNELS) {
            return null; // killed mid-frame
        }
        return new Frame(line.pts16k, pcm);
    }

    /** Waits for ffmpeg to exit (after {@link #next} returned null) and returns its exit code. */
    int exitCode() throws InterruptedException {
        int code = process.waitFor();
        stderrReader.join(2_000);
        return code;
    }

    /** ffmpeg's last words (its last stderr line that was not a frame description), for error messages. */
    String lastLine() {
        synchronized (lastLines) {
            return lastLines.isEmpty() ? "(no output)" : lastLines.get(lastLines.size() - 1);
        }
    }

    /**
     * "decoder exited with code N: why", with the signal named when ffmpeg was killed. "Why" is the last of ffmpeg's
     * last lines that says something permanent ("Failed to resolve hostname", "Server returned 404"), since the very
     * last line is often only "Input/output error"; else the last line.
     */
    String describeExit(int code) {
        String signal = code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : "";
        String why;
        synchronized (lastLines) {
            why = lastLines.stream().filter(l -> PullError.of(l).permanent()).reduce((a, b) -> b)
                    .orElse(lastLines.isEmpty() ? "(no output)" : lastLines.get(lastLines.size() - 1));
        }
        return "decoder exited with code " + code + signal + ": " + why;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Kills ffmpeg without waiting: {@link #next} then returns null. */
    void kill() {
        process.destroyForcibly();
    }

    /** Stops ffmpeg at once: a polite SIGTERM first (it flushes and exits within milliseconds), then SIGKILL. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(2, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(2, TimeUnit.SECONDS);
            }
        }
        stderrReader.join(2_000);
    }

    private void readStderr() {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String text;
            while ((text = reader.readLine()) != null) {
                Matcher m = SHOWINFO.matcher(text);
                if (m.find()) {
                    lines.add(new Line(parsePts(m.group(1)), Integer.parseInt(m.group(2))));
                } else if (!text.isBlank()) {
                    String clean = redact.apply(text.strip());
                    log.debug("{}: ffmpeg: {}", name, clean);
                    synchronized (lastLines) {
                        lastLines.add(clean);
                        if (lastLines.size() > KEPT_LINES) {
                            lastLines.remove(0);
                        }
                    }
                }
            }
        } catch (IOException e) {
            log.debug("{}: ffmpeg stderr closed: {}", name, e.getMessage());
        } finally {
            lines.add(END);
        }
    }

    private static long parsePts(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE; // NOPTS
        }
    }
}
