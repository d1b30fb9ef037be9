package io.livecap.asr.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One vosk-server protocol session on a worker: {@code {"config":{"sample_rate":16000}}}, binary 16-bit PCM, one JSON
 * answer per audio message ({@code {"partial":..}} or {@code {"result":[..],"text":..}}), {@code {"eof":1}} for the
 * last result. Only that protocol, so alphacep's vosk-server serves it unchanged. What arrives is queued for the
 * stream's own thread, which alone talks to its listener.
 */
final class WorkerConnection {

    /** Something from the worker: a text message, or the end of the connection (status -1: it broke). */
    sealed interface Event permits Text, Ended {
    }

    record Text(String json) implements Event {
    }

    record Ended(int status, String reason) implements Event {
    }

    /** The worker cannot be used (refused, broke, hung); the stream moves to another. */
    static final class Failure extends Exception {
        private final boolean full;

        Failure(String message) {
            this(message, false);
        }

        /** @param full the worker refused because it is at its cap (it is up, just busy) */
        Failure(String message, boolean full) {
            super(message);
            this.full = full;
        }

        boolean full() {
            return full;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Worker worker;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final Duration sendTimeout;
    private WebSocket socket;

    private WorkerConnection(Worker worker, Duration sendTimeout) {
        this.worker = worker;
        this.sendTimeout = sendTimeout;
    }

    static WorkerConnection open(HttpClient http, Worker worker, RemoteSettings settings, int sampleRate)
            throws Failure {
        WorkerConnection connection = new WorkerConnection(worker, settings.replyTimeout());
        WebSocket.Builder builder = http.newWebSocketBuilder().connectTimeout(settings.connectTimeout());
        if (!settings.key().isEmpty()) {
            builder.header("Authorization", "Bearer " + settings.key());
        }
        try {
            connection.socket = builder.buildAsync(worker.uri(), connection.new Receiver())
                    .get(settings.connectTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Failure("cannot open " + worker.uri() + ": " + cause);
        } catch (TimeoutException e) {
            throw new Failure("cannot open " + worker.uri() + ": no handshake within "
                    + settings.connectTimeout().toMillis() * 2 + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted opening " + worker.uri());
        }
        connection.sendText("{\"config\":{\"sample_rate\":" + sampleRate + "}}");
        return connection;
    }

    Worker worker() {
        return worker;
    }

    void sendAudio(short[] samples, int from, int length) throws Failure {
        // little-endian by hand into a plain wrapped array: the JDK client masks 8 bytes at a time with the buffer's
        // own byte order, so a buffer set to LITTLE_ENDIAN goes out garbled (found by WorkerRoleTest's WER check)
        byte[] pcm = new byte[length * 2];
        for (int i = 0; i < length; i++) {
            short sample = samples[from + i];
            pcm[2 * i] = (byte) sample;
            pcm[2 * i + 1] = (byte) (sample >> 8);
        }
        await(socket.sendBinary(ByteBuffer.wrap(pcm), true), "send audio to");
    }

    void sendEof() throws Failure {
        sendText("{\"eof\" : 1}"); // byte for byte: alphacep's vosk-server compares the string
    }

    /** The next event, or null when none came within {@code timeout}. */
    Event next(Duration timeout) throws Failure {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted waiting for " + worker.uri());
        }
    }

    /** The next event if one is there. */
    Event poll() {
        return events.poll();
    }

    /** Drops the connection at once (a dead worker, or the stream is done with it). */
    void abort() {
        if (socket != null) {
            socket.abort();
        }
    }

    private void sendText(String text) throws Failure {
        await(socket.sendText(text, true), "send to");
    }

    private void await(CompletableFuture<WebSocket> sent, String what) throws Failure {
        try {
            sent.get(sendTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw explain("cannot " + what + " " + worker.uri() + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new Failure("cannot " + what + " " + worker.uri() + " within " + sendTimeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure("interrupted sending to " + worker.uri());
        }
    }

    /**
     * A send failed because the worker closed the session: usually it said why first (a full livecap worker sends
     * server_busy, then closes 1013), and that reason is the useful one. Waits a moment for it, then gives up.
     */
    private Failure explain(String fallback) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        try {
            for (long left = TimeUnit.SECONDS.toNanos(1); left > 0; left = deadline - System.nanoTime()) {
                Event event = events.poll(left, TimeUnit.NANOSECONDS);
                if (event instanceof Text text) {
                    JsonNode json = JSON.readTree(text.json());
                    if (json.path("type").asText().equals("error")) {
                        String code = json.path("code").asText();
                        return new Failure(worker.uri() + " refused: " + code + ": " + json.path("message").asText(),
                                code.equals("server_busy"));
                    }
                } else if (event instanceof Ended ended && ended.status() >= 0) {
                    return new Failure(worker.uri() + " closed the session with " + ended.status() + " "
                            + ended.reason(), ended.status() == 1013);
                } else if (event instanceof Ended) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException notJson) {
            // the fallback says enough
        }
        return new Failure(fallback);
    }

    /** Runs on the HTTP client's threads: only queues. */
    private final class Receiver implements WebSocket.Listener {

        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                events.add(new Text(text.toString()));
                text.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            webSocket.request(1); // not part of the protocol: ignored
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            events.add(new Ended(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            events.add(new Ended(-1, String.valueOf(error)));
        }
    }
}
