package io.livecap.server;

import io.livecap.captions.Json;
import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.RecognizedWord;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.Resampler;
import io.micrometer.core.instrument.Metrics;
import io.netty.buffer.ByteBuf;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code /v1/vosk}: the alphacep vosk-server protocol, so its existing clients work unchanged. As vosk-server does,
 * every audio message gets exactly one answer (a result if an utterance ended in it, else the current partial):
 * some clients send, then wait for one reply. Recognition runs on one thread per connection, off the event loop.
 */
final class VoskEndpoint extends WebSocketEndpoint implements RecognitionListener {

    private static final Logger log = LoggerFactory.getLogger(VoskEndpoint.class);
    private static final int SLICE_SAMPLES = SpeechEngine.SAMPLE_RATE / 2;
    /** Audio waiting for a recogniser on every /v1/vosk connection of this process, in microseconds. */
    private static final AtomicLong QUEUED_MICROS_ALL = new AtomicLong();

    static {
        Metrics.gauge("livecap.vosk.queued.seconds", QUEUED_MICROS_ALL, q -> q.get() / 1e6);
    }

    private final SpeechEngine engine;
    private final String language;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "vosk-client");
        t.setDaemon(true);
        return t;
    });
    private int sampleRate = SpeechEngine.SAMPLE_RATE;
    private Resampler resampler;
    private RecognitionStream stream;
    // filled by the recogniser's callbacks during one acceptAudio call, on the worker thread
    private final List<RecognizedWord> finished = new ArrayList<>();
    private String partial = "";

    private final ConnectionCap cap;
    private final long maxQueuedMs;
    private boolean holdsSlot;
    private int clientRate = SpeechEngine.SAMPLE_RATE; // the event loop's copy, to measure what is queued
    /** Audio received but not yet recognised, in microseconds (so small chunks at odd rates still add up). */
    private final AtomicLong queuedMicros = new AtomicLong();
    private volatile boolean gone;

    VoskEndpoint(ServerContext context) {
        this.engine = context.sessions().engine();
        this.language = context.defaultLanguage();
        this.cap = context.voskCap();
        this.maxQueuedMs = context.limits().voskMaxQueuedMs();
    }

    /** What {@code livecap.vosk.queued.seconds} shows, in milliseconds. */
    static long queuedMillisInAll() {
        return QUEUED_MICROS_ALL.get() / 1000;
    }

    @Override
    protected void onOpen() {
        if (!cap.tryTake()) {
            refuseBusy(cap.busyMessage());
            return;
        }
        holdsSlot = true;
    }

    /** More audio waits for the recogniser than {@code limits.vosk_max_queued_ms}: the client waits too. */
    @Override
    protected boolean behind() {
        return queuedMicros.get() > maxQueuedMs * 1000;
    }

    @Override
    protected void onText(String text) {
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(text);
        } catch (IOException e) {
            fail("bad_json", "text message is not JSON: " + e.getMessage(), 1007);
            return;
        }
        if (json.has("config")) {
            JsonNode rate = json.path("config").path("sample_rate");
            if (rate.isNumber()) {
                int requested = (int) rate.asDouble();
                if (requested < 8000 || requested > 192_000) {
                    fail("bad_config", "sample_rate must be between 8000 and 192000", 1007);
                    return;
                }
                clientRate = requested;
                worker.execute(() -> sampleRate = requested);
            }
        } else if (json.path("eof").asInt(0) == 1) {
            worker.execute(this::endOfFile);
        }
    }

    @Override
    protected void onBinary(ByteBuf data) {
        short[] samples = new short[data.readableBytes() / 2];
        for (int i = 0; i < samples.length; i++) {
            samples[i] = data.getShortLE(data.readerIndex() + 2 * i);
        }
        long micros = samples.length * 1_000_000L / clientRate;
        queuedMicros.addAndGet(micros);
        QUEUED_MICROS_ALL.addAndGet(micros);
        if (behind()) {
            updateAutoRead();
        }
        worker.execute(() -> {
            try {
                if (!gone) { // the client left: what it queued is dropped, not recognised for nobody
                    ensureStream();
                    short[] pcm = resampler.process(samples, samples.length);
                    acceptWhileConnected(pcm);
                    reply();
                }
            } catch (RuntimeException e) {
                log.warn("vosk client {}: recognition failed", channel.remoteAddress(), e);
                fail("recognition_failed", String.valueOf(e.getMessage()), 1011);
            } finally {
                QUEUED_MICROS_ALL.addAndGet(-micros);
                if (queuedMicros.addAndGet(-micros) <= maxQueuedMs * 500 && !channel.config().isAutoRead()) {
                    channel.eventLoop().execute(this::updateAutoRead); // under half the limit: read again
                }
            }
        });
    }

    /** In slices, so a large message from a client that then leaves stops within one slice. */
    private void acceptWhileConnected(short[] pcm) {
        for (int from = 0; from < pcm.length && !gone; from += SLICE_SAMPLES) {
            int length = Math.min(SLICE_SAMPLES, pcm.length - from);
            if (from == 0 && length == pcm.length) {
                stream.acceptAudio(pcm, length);
            } else {
                stream.acceptAudio(java.util.Arrays.copyOfRange(pcm, from, from + length), length);
            }
        }
    }

    private void ensureStream() {
        if (stream == null) {
            resampler = new Resampler(sampleRate, SpeechEngine.SAMPLE_RATE);
            stream = engine.openStream(StreamOptions.of(language), this);
        }
    }

    private void endOfFile() {
        if (gone) {
            return;
        }
        ensureStream();
        short[] tail = resampler.flush();
        stream.acceptAudio(tail, tail.length);
        stream.finish();
        sendJson(result());
        close(1000, "eof");
    }

    private void reply() {
        if (!finished.isEmpty()) {
            sendJson(result());
        } else {
            sendJson(Map.of("partial", partial));
        }
    }

    private Map<String, Object> result() {
        List<Map<String, Object>> words = new ArrayList<>();
        for (RecognizedWord w : finished) {
            Map<String, Object> word = new LinkedHashMap<>();
            word.put("conf", w.confidence());
            word.put("end", w.endMs() / 1000.0);
            word.put("start", w.startMs() / 1000.0);
            word.put("word", w.word());
            words.add(word);
        }
        Map<String, Object> result = new LinkedHashMap<>();
        if (!words.isEmpty()) {
            result.put("result", words);
        }
        result.put("text", String.join(" ", finished.stream().map(RecognizedWord::word).toList()));
        finished.clear();
        partial = "";
        return result;
    }

    @Override
    public void onPartial(Hypothesis h) {
        partial = h.text();
    }

    @Override
    public void onFinal(Hypothesis h) {
        finished.addAll(h.words());
        partial = "";
    }

    @Override
    protected void onClosed() {
        gone = true;
        if (holdsSlot) {
            holdsSlot = false;
            cap.release();
        }
        worker.execute(() -> {
            if (stream != null) {
                stream.close();
            }
        });
        worker.shutdown();
    }
}
