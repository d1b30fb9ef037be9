package io.livecap.asr.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One stream on a remote worker. Audio is sent as it comes and kept in a {@link ReplayBuffer} until a final settles
 * it; answers are read back on the feeding thread, so the listener is called there as the interface promises. At
 * most {@code remote_in_flight_ms} of audio waits for answers: a slow worker slows its stream (its backlog shows it)
 * instead of piling audio up in a socket.
 *
 * <p>When the worker dies (the connection breaks or closes, or it answers nothing for {@code remote_reply_timeout_ms})
 * or refuses (full), the stream takes the least loaded other worker and re-sends the audio since its last final,
 * with the new worker's times moved on by where that audio starts. The dead worker's unreported words are heard
 * again; words of audio already settled by a final are dropped by time, so no final word is lost or repeated.
 * The replay goes in 100 ms messages, and the new worker's partials are held back until they reach past what
 * the dead one had answered ({@link RemotePartials}), so subscribers see the caption line go on, not start over.
 */
final class RemoteStream implements RecognitionStream {

    private static final Logger log = LoggerFactory.getLogger(RemoteStream.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int RATE = SpeechEngine.SAMPLE_RATE;
    private static final int EOF = -1; // the in-flight entry of the eof message
    // samples per replayed message: the worker answers each message once, and the first answer past what subscribers
    // were shown ends the hold on partials, so small messages resume captions sooner; 1 s messages measured slower
    // (README, "ASR workers and the remote engine")
    private static final int REPLAY_MESSAGE = RATE / 10;

    private final WorkerPool pool;
    private final RemoteSettings settings;
    private final RecognitionListener listener;
    private final ReplayBuffer buffer;
    private final RemotePartials partials = new RemotePartials();
    private final long inFlightLimit; // samples
    private WorkerConnection connection;
    private final Deque<Integer> inFlight = new ArrayDeque<>(); // samples of each message not answered yet
    private long inFlightSamples;
    private long offsetSample; // the stream position of the current connection's first sample
    private long answeredSample; // the stream position up to which the current worker has answered
    private long streamSamples; // accepted so far
    private long lastFinalEndMs = -1;
    private boolean eofSent; // on the current connection
    private long replayEndSample = -1; // where the audio re-sent to the current worker ends, until it has answered it
    private long replayStartedNanos;
    private boolean done;
    private boolean closed;

    RemoteStream(WorkerPool pool, RemoteSettings settings, RecognitionListener listener) {
        this.pool = pool;
        this.settings = settings;
        this.listener = listener;
        this.buffer = new ReplayBuffer(settings.replay().toSeconds() * RATE);
        this.inFlightLimit = Math.max(1, settings.inFlight().toMillis() * RATE / 1000);
        this.connection = connect(new HashSet<>(), null);
    }

    @Override
    public void acceptAudio(short[] samples, int length) {
        if (length <= 0 || done) {
            return;
        }
        buffer.append(samples, length);
        streamSamples += length;
        try {
            send(samples, length);
            pump(inFlightLimit);
        } catch (WorkerConnection.Failure failure) {
            failOver(failure); // re-sends the buffer, this audio included
        }
    }

    @Override
    public void finish() {
        if (done) {
            return;
        }
        int attempts = 0;
        while (true) {
            try {
                if (!eofSent) {
                    connection.sendEof();
                    eofSent = true;
                    inFlight.addLast(EOF);
                }
                pump(0);
                break;
            } catch (WorkerConnection.Failure failure) {
                if (++attempts > maxSwitches()) {
                    throw new IllegalStateException("remote engine: the stream's last result failed on "
                            + attempts + " workers: " + failure.getMessage());
                }
                failOver(failure);
            }
        }
        done = true;
        connection.abort();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        done = true;
        if (connection != null) {
            connection.abort();
            connection.worker().given();
        }
    }

    private int maxSwitches() {
        return settings.endpoints().size() * 2 + 2;
    }

    private void send(short[] samples, int length) throws WorkerConnection.Failure {
        connection.sendAudio(samples, 0, length);
        inFlight.addLast(length);
        inFlightSamples += length;
    }

    /** Reads what has arrived, then waits for answers while more than {@code limit} samples wait for one. */
    private void pump(long limit) throws WorkerConnection.Failure {
        WorkerConnection.Event event;
        while ((event = connection.poll()) != null) {
            handle(event);
        }
        while (inFlightSamples > limit || limit == 0 && !inFlight.isEmpty()) {
            event = connection.next(settings.replyTimeout());
            if (event == null) {
                throw new WorkerConnection.Failure(connection.worker().uri() + " answered nothing for "
                        + settings.replyTimeout().toMillis() + " ms");
            }
            handle(event);
        }
    }

    private void handle(WorkerConnection.Event event) throws WorkerConnection.Failure {
        if (event instanceof WorkerConnection.Ended ended) {
            if (eofSent && inFlight.isEmpty()) {
                return; // the worker closes after the last result: that is the protocol
            }
            throw new WorkerConnection.Failure(connection.worker().uri() + " closed the session"
                    + (ended.status() < 0 ? " (" + ended.reason() + ")" : " with " + ended.status() + " "
                    + ended.reason()), ended.status() == 1013);
        }
        JsonNode json;
        try {
            json = JSON.readTree(((WorkerConnection.Text) event).json());
        } catch (IOException e) {
            throw new WorkerConnection.Failure(connection.worker().uri() + " sent what is not JSON: " + e.getMessage());
        }
        if (json.path("type").asText().equals("error")) {
            String code = json.path("code").asText();
            throw new WorkerConnection.Failure(connection.worker().uri() + " refused: " + code + ": "
                    + json.path("message").asText(), code.equals("server_busy"));
        }
        Integer answered = inFlight.pollFirst();
        if (answered != null && answered != EOF) {
            inFlightSamples -= answered;
            answeredSample += answered;
        }
        if (replayEndSample >= 0 && answeredSample >= replayEndSample) {
            // what a switch costs subscribers is mostly this re-decoding (partials past what they saw may come sooner)
            long tookNanos = System.nanoTime() - replayStartedNanos;
            Metrics.timer("livecap.remote.rehear").record(tookNanos, TimeUnit.NANOSECONDS);
            log.info("remote engine: {} re-heard the {} ms of replayed audio in {} ms", connection.worker().uri(),
                    (replayEndSample - offsetSample) * 1000 / RATE, tookNanos / 1_000_000);
            replayEndSample = -1;
        }
        if (json.has("partial")) {
            partial(json.path("partial").asText(""));
        } else {
            partials.utteranceEnded();
            result(json);
        }
    }

    private void partial(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (!word.isEmpty() && !markup(word)) {
                words.add(word);
            }
        }
        long floor = Math.max(lastFinalEndMs, offsetSample * 1000 / RATE);
        Hypothesis placed = partials.place(words, floor, Math.max(floor, answeredSample * 1000 / RATE));
        if (placed != null) {
            listener.onPartial(placed);
        }
    }

    private void result(JsonNode json) {
        long offsetMs = offsetSample * 1000 / RATE;
        List<RecognizedWord> words = new ArrayList<>();
        int repeated = 0;
        if (json.has("result")) {
            for (JsonNode w : json.path("result")) {
                String word = w.path("word").asText();
                if (word.isEmpty() || markup(word)) {
                    continue;
                }
                long start = offsetMs + Math.round(w.path("start").asDouble() * 1000);
                long end = Math.max(start, offsetMs + Math.round(w.path("end").asDouble() * 1000));
                if (start < lastFinalEndMs) {
                    repeated++; // audio a final already settled (heard again after a switch): said once only
                    continue;
                }
                words.add(new RecognizedWord(word, start, end, Math.max(0, Math.min(1, w.path("conf").asDouble(1)))));
            }
        } else {
            // a server with word times off: the text, placed on the audio it answered
            long start = Math.max(lastFinalEndMs, offsetMs);
            long end = Math.max(start, answeredSample * 1000 / RATE);
            for (String word : json.path("text").asText("").trim().split("\\s+")) {
                if (!word.isEmpty() && !markup(word)) {
                    words.add(new RecognizedWord(word, start, end, 1));
                }
            }
        }
        if (repeated > 0) {
            log.debug("remote engine: dropped {} word(s) before {} ms, already final", repeated, lastFinalEndMs);
        }
        if (words.isEmpty()) {
            return;
        }
        listener.onFinal(new Hypothesis(words, words.get(0).startMs(), words.get(words.size() - 1).endMs()));
        lastFinalEndMs = words.get(words.size() - 1).endMs();
        buffer.settleBefore(lastFinalEndMs * RATE / 1000);
    }

    /**
     * The current worker failed: the stream moves to another, which hears the audio since the last final again.
     * Throws when no worker is left that can take it (the message lists the pool).
     */
    private void failOver(WorkerConnection.Failure first) {
        Set<Worker> tried = new HashSet<>();
        WorkerConnection.Failure failure = first;
        for (int attempt = 0; attempt < maxSwitches(); attempt++) {
            Worker failed = connection.worker();
            tried.add(failed);
            connection.abort();
            failed.given();
            if (failure.full()) {
                failed.refusedAsFull();
            } else {
                failed.down(failure.getMessage());
            }
            Metrics.counter("livecap.remote.failovers").increment();
            partials.switched(answeredSample * 1000 / RATE);
            long lost = buffer.droppedSamples();
            if (lost > 0) {
                Metrics.counter("livecap.remote.lost.seconds").increment(lost / (double) RATE);
            }
            connection = null;
            connection = connect(tried, failure);
            long replayMs = buffer.heldSamples() * 1000 / RATE;
            log.warn("remote engine: {}; the stream moves to {}, re-sending {} ms of audio since the last final{}",
                    failure.getMessage(), connection.worker().uri(), replayMs,
                    lost > 0 ? " (" + lost * 1000 / RATE + " ms before it were past remote_replay_seconds and are"
                            + " lost)" : "");
            Metrics.counter("livecap.remote.replayed.seconds").increment(replayMs / 1000.0);
            replayEndSample = buffer.heldSamples() > 0 ? buffer.startSample() + buffer.heldSamples() : -1;
            replayStartedNanos = System.nanoTime();
            try {
                // in 100 ms messages whatever sizes the audio came in, as fast as the in-flight limit lets them go
                for (short[] chunk : buffer.chunks((int) Math.min(inFlightLimit, REPLAY_MESSAGE))) {
                    send(chunk, chunk.length);
                    pump(inFlightLimit);
                }
                return;
            } catch (WorkerConnection.Failure next) {
                failure = next;
            }
        }
        throw new IllegalStateException("remote engine: the stream failed on " + maxSwitches()
                + " workers in a row (last: " + failure.getMessage() + "); pool: " + pool.describe());
    }

    /** A new session on the least loaded worker not in {@code tried}, fed from the buffer's start on. */
    private WorkerConnection connect(Set<Worker> tried, WorkerConnection.Failure firstCause) {
        WorkerConnection.Failure cause = firstCause;
        while (true) {
            Optional<Worker> taken = pool.take(tried);
            if (taken.isEmpty()) {
                throw new IllegalStateException("remote engine: no worker can take the stream" + (cause == null ? ""
                        : " (last: " + cause.getMessage() + ")") + "; pool: " + pool.describe());
            }
            Worker worker = taken.get();
            try {
                WorkerConnection opened = WorkerConnection.open(pool.http(), worker, settings, RATE);
                inFlight.clear();
                inFlightSamples = 0;
                offsetSample = buffer.startSample();
                answeredSample = offsetSample;
                eofSent = false;
                return opened;
            } catch (WorkerConnection.Failure failure) {
                worker.given();
                if (failure.full()) {
                    worker.refusedAsFull();
                } else {
                    worker.down(failure.getMessage());
                }
                tried.add(worker);
                log.warn("remote engine: {}", failure.getMessage());
                cause = failure;
            }
        }
    }

    private static boolean markup(String word) {
        return word.startsWith("[") && word.endsWith("]") || word.startsWith("<") && word.endsWith(">");
    }
}
