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

/**
 * {@code /v1/vosk}: the alphacep vosk-server protocol, so its existing clients work unchanged. As vosk-server does,
 * every audio message gets exactly one answer (a result if an utterance ended in it, else the current partial):
 * some clients send, then wait for one reply. Recognition runs on one thread per connection, off the event loop.
 */
final class VoskEndpoint extends WebSocketEndpoint implements RecognitionListener {

    private static final Logger log = LoggerFactory.getLogger(VoskEndpoint.class);

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

    VoskEndpoint(SpeechEngine engine, String language) {
        this.engine = engine;
        this.language = language;
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
        worker.execute(() -> {
            try {
                ensureStream();
                short[] pcm = resampler.process(samples, samples.length);
                stream.acceptAudio(pcm, pcm.length);
                reply();
            } catch (RuntimeException e) {
                log.warn("vosk client {}: recognition failed", channel.remoteAddress(), e);
                fail("recognition_failed", String.valueOf(e.getMessage()), 1011);
            }
        });
    }

    private void ensureStream() {
        if (stream == null) {
            resampler = new Resampler(sampleRate, SpeechEngine.SAMPLE_RATE);
            stream = engine.openStream(StreamOptions.of(language), this);
        }
    }

    private void endOfFile() {
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
        worker.execute(() -> {
            if (stream != null) {
                stream.close();
            }
        });
        worker.shutdown();
    }
}
