package io.livecap.asr.sphinx4;

import edu.cmu.sphinx.decoder.ResultListener;
import edu.cmu.sphinx.frontend.util.StreamDataSource;
import edu.cmu.sphinx.recognizer.Recognizer;
import edu.cmu.sphinx.result.Result;
import edu.cmu.sphinx.util.props.PropertySheet;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One stream on its own sphinx4 recognizer. sphinx4 pulls audio, so the recognizer runs on a decoder thread that
 * reads a {@link PcmPipe} fed by {@link #acceptAudio}; its speech marker cuts the audio into utterances, one
 * {@code recognize()} call each. Results cross back through a queue and reach the listener on the feeding thread,
 * inside the next {@link #acceptAudio} or {@link #finish}, as the SPI promises.
 */
final class Sphinx4Stream implements RecognitionStream {

    private static final Logger log = LoggerFactory.getLogger(Sphinx4Stream.class);

    /**
     * Up to 30 s of audio (1 MB) waits for the decoder before the feeder blocks: enough to ride out the JVM's
     * warm-up, a collection, or the next stream's decoder being built on a busy machine, while blocking would hold
     * back the ingest and stamp later audio late. A decoder that stays slower than real time still pushes back.
     */
    private static final int PIPE_SAMPLES = 30 * SpeechEngine.SAMPLE_RATE;

    /** A decoder that does not stop within this after {@link #close} is left to die with its daemon thread. */
    private static final long CLOSE_WAIT_MS = 5_000;

    private record Event(Hypothesis hypothesis, boolean fin) {
    }

    private final Recognizer recognizer;
    private final RecognitionListener listener;
    private final PcmPipe pipe = new PcmPipe(PIPE_SAMPLES);
    private final Queue<Event> events = new ConcurrentLinkedQueue<>();
    private final Thread decoder;
    private volatile Throwable failure;
    private volatile long decoderCpuNanos;
    private long samplesAccepted;
    private boolean lastPartialHadWords;
    private boolean finished;
    private boolean closed;

    /** Takes an allocated recognizer whose data source still needs its input. */
    Sphinx4Stream(Recognizer recognizer, StreamDataSource source, RecognitionListener listener, String name) {
        this.recognizer = recognizer;
        this.listener = listener;
        source.setInputStream(pipe);
        recognizer.addResultListener(new Partials());
        decoder = new Thread(this::decode, name);
        decoder.setDaemon(true);
        decoder.start();
    }

    /** The decoder thread: one final per utterance until the audio ends. It alone touches the recognizer. */
    private void decode() {
        var threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        try {
            Result result;
            while ((result = recognizer.recognize()) != null) {
                Hypothesis fin = ResultReader.fin(result);
                if (!fin.isEmpty()) {
                    events.add(new Event(fin, true));
                } else if (lastPartialHadWords) {
                    // the utterance was noise after all: clear the words its partials showed
                    events.add(new Event(fin, false));
                }
                lastPartialHadWords = false;
            }
        } catch (Throwable t) {
            failure = t;
            log.error("{}: sphinx4 decoder failed", decoder.getName(), t);
        } finally {
            pipe.abort();
            recognizer.deallocate();
            decoderCpuNanos = threads.getCurrentThreadCpuTime() - cpuStart;
        }
    }

    /** Called by sphinx4 on the decoder thread every {@link DecoderConfiguration#FRAMES_PER_PARTIAL} frames. */
    private final class Partials implements ResultListener {

        @Override
        public void newResult(Result result) {
            if (!result.isFinal()) {
                Hypothesis partial = ResultReader.partial(result);
                lastPartialHadWords = !partial.isEmpty();
                events.add(new Event(partial, false));
            }
        }

        @Override
        public void newProperties(PropertySheet ps) {
        }
    }

    @Override
    public void acceptAudio(short[] samples, int length) {
        if (finished || closed) {
            throw new IllegalStateException("sphinx4 stream " + decoder.getName() + " is " + (closed ? "closed" : "finished"));
        }
        deliver();
        try {
            pipe.write(samples, length);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the sphinx4 decoder of " + decoder.getName(), e);
        } catch (IllegalStateException e) {
            throwFailure();
            throw e;
        }
        samplesAccepted += length;
        deliver();
    }

    @Override
    public void finish() {
        if (finished || closed) {
            return;
        }
        finished = true;
        pipe.end();
        try {
            decoder.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the sphinx4 decoder of " + decoder.getName() + " drained", e);
        }
        deliver();
        throwFailure();
        double audioSeconds = (double) samplesAccepted / SpeechEngine.SAMPLE_RATE;
        log.info("{}: {} s of audio decoded with {} s of decoder CPU (real-time factor {})", decoder.getName(),
                String.format("%.1f", audioSeconds), String.format("%.1f", decoderCpuNanos / 1e9),
                String.format("%.2f", decoderCpuNanos / 1e9 / Math.max(audioSeconds, 0.001)));
    }

    /** CPU time the decoder thread spent, complete once {@link #finish} returned: the engine's own cost. */
    Duration decoderCpu() {
        return Duration.ofNanos(decoderCpuNanos);
    }

    private void deliver() {
        Event event;
        while ((event = events.poll()) != null) {
            if (event.fin()) {
                listener.onFinal(event.hypothesis());
            } else {
                listener.onPartial(event.hypothesis());
            }
        }
    }

    private void throwFailure() {
        if (failure != null) {
            throw new IllegalStateException("sphinx4 decoder of " + decoder.getName() + " failed", failure);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        pipe.abort();
        try {
            decoder.join(CLOSE_WAIT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (decoder.isAlive()) {
            log.warn("{}: sphinx4 decoder still running {} ms after close", decoder.getName(), CLOSE_WAIT_MS);
        }
        events.clear();
    }
}
