package io.livecap.testkit;

import io.livecap.ingest.Ffmpeg;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A live encoder for tests: livecap's ffmpeg sending a file at its own pace ({@code -re}) to a live target. */
public final class LiveEncoder implements AutoCloseable {

    private final Process process;
    public final long startedEpochMs;

    private LiveEncoder(Process process, long startedEpochMs) {
        this.process = process;
        this.startedEpochMs = startedEpochMs;
    }

    /** {@code ffmpeg -re -i file -c copy [outputOptions] target}, its log in {@code log}. */
    public static LiveEncoder start(Path file, List<String> outputOptions, String target, Path log) throws IOException {
        List<String> args = new ArrayList<>(List.of("-nostdin", "-hide_banner", "-loglevel", "warning", "-re",
                "-i", file.toString(), "-c", "copy"));
        args.addAll(outputOptions);
        args.add(target);
        long started = System.currentTimeMillis();
        Process process = Ffmpeg.command(args).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectOutput(target.startsWith("pipe:") ? ProcessBuilder.Redirect.PIPE
                        : ProcessBuilder.Redirect.DISCARD).start();
        return new LiveEncoder(process, started);
    }

    /** For a pipe target: what the encoder writes. */
    public InputStream output() {
        return process.getInputStream();
    }

    /** Waits for the encoder to finish its input (a publisher that reaches the end of its file). */
    public void awaitExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("encoder still running after " + seconds + " s");
        }
    }

    /** Stops it the way an operator would: ffmpeg finishes its output cleanly on SIGTERM. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Polls until something accepts connections on the loopback {@code port}; a refused connect returns at once. */
    public static void awaitListening(int port, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nothing listens on 127.0.0.1:" + port + " after " + timeout, e);
                }
                Thread.sleep(20); // poll interval
            }
        }
    }
}
