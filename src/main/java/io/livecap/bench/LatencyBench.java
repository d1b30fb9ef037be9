package io.livecap.bench;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;
import io.livecap.audio.Resampler;
import io.livecap.audio.WavAudio;
import io.livecap.audio.ChannelMixer;
import io.livecap.audio.ChannelStrategy;
import io.livecap.captions.Caption;
import io.livecap.client.AudioFeeder;
import io.livecap.client.CaptionClient;
import io.livecap.client.IngestClient;
import io.livecap.server.LivecapNode;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Feeds {@code streams} copies of a speech file in real time through the ingest websocket of a running node,
 * subscribes to every caption stream, and measures caption latency, timing accuracy, WER and CPU. A direct engine
 * loop over the same audio, in the same run, gives the engine's own real-time factor to compare against.
 */
public final class LatencyBench {

    private final LivecapNode node;
    private final WavAudio audio;
    private final String reference;

    public LatencyBench(LivecapNode node, WavAudio audio, String reference) {
        this.node = node;
        this.audio = audio;
        this.reference = reference;
    }

    /** Runs the benchmark and returns its results as a JSON-ready map. */
    public Map<String, Object> run(int streams) throws Exception {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("engine", node.engine().name());
        result.put("streams", streams);
        result.put("audio_seconds", audio.durationSeconds());
        result.put("engine_rtf_direct", directRealTimeFactor());

        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long wallBefore = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        List<Future<Map<String, Object>>> runs = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            String id = "bench-" + i;
            runs.add(pool.submit(() -> oneStream(id)));
        }
        List<Long> partial = new ArrayList<>();
        List<Long> fin = new ArrayList<>();
        List<Long> ptsErrors = new ArrayList<>();
        List<Double> wers = new ArrayList<>();
        for (Future<Map<String, Object>> run : runs) {
            Map<String, Object> r = run.get();
            partial.addAll(cast(r.get("partial")));
            fin.addAll(cast(r.get("final")));
            ptsErrors.addAll(cast(r.get("pts_error")));
            wers.add((Double) r.get("wer"));
        }
        pool.shutdown();
        double wall = (System.nanoTime() - wallBefore) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpuBefore) / 1e9;
        result.put("partial_latency_ms", new Percentiles(partial).summary());
        result.put("final_latency_ms", new Percentiles(fin).summary());
        result.put("start_pts_error_ticks_max", ptsErrors.stream().mapToLong(Long::longValue).max().orElse(0));
        result.put("wer", wers.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
        result.put("wall_seconds", wall);
        result.put("process_cpu_seconds", cpu);
        result.put("process_cpu_rtf_per_stream", cpu / (audio.durationSeconds() * streams));
        result.put("cores", Runtime.getRuntime().availableProcessors());
        return result;
    }

    private Map<String, Object> oneStream(String id) throws Exception {
        ConcurrentSkipListMap<Long, long[]> sent = new ConcurrentSkipListMap<>();
        AudioFeeder feeder = new AudioFeeder().realtime(true).chunkMs(100).timescale(90_000).ptsBits(33)
                .ptsStart((1L << 33) - 20L * 90_000)
                .listener((first, frames, pts, at) -> sent.put(first, new long[] {pts, at}));
        AudioFeeder.Source source = AudioFeeder.of(audio.samples(), audio.sampleRate(), audio.channels());
        try (CaptionClient captions = new CaptionClient(node.url("/v1/captions/" + id));
             IngestClient ingest = new IngestClient(node.url("/v1/ingest/" + id))) {
            captions.connect(10_000);
            ingest.connect(10_000);
            feeder.feed(source, ingest);
            captions.awaitEos(120_000);
            int rate = audio.sampleRate();
            StreamLatency latency = new StreamLatency(captions.received(), ms -> {
                long frame = ms * rate / 1000;
                var chunk = sent.floorEntry(frame);
                return chunk.getValue()[1] + (frame - chunk.getKey()) * 1000 / rate;
            });
            List<Long> ptsErrors = new ArrayList<>();
            for (Caption c : captions.finals()) {
                long expected = feeder.ptsOf(c.startMs() * rate / 1000, rate);
                long error = Math.floorMod(c.startPts() - expected + (1L << 32), 1L << 33) - (1L << 32);
                ptsErrors.add(Math.abs(error));
            }
            String text = String.join(" ", captions.finals().stream().map(Caption::text).toList());
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("partial", latency.partialMs);
            r.put("final", latency.finalMs);
            r.put("pts_error", ptsErrors);
            r.put("wer", reference == null ? Double.NaN : WordErrors.rate(reference, text));
            return r;
        }
    }

    /** The engine alone, as fast as it goes, on the same audio: its CPU cost without livecap around it. */
    private double directRealTimeFactor() {
        short[] mono = new ChannelMixer(audio.channels(), audio.sampleRate())
                .mix(audio.samples(), audio.frames(), ChannelStrategy.SUM);
        short[] pcm = new Resampler(audio.sampleRate(), SpeechEngine.SAMPLE_RATE).process(mono, mono.length);
        long begin = System.nanoTime();
        try (RecognitionStream stream = node.engine().openStream(StreamOptions.of("en-US"), new RecognitionListener() {
            public void onPartial(Hypothesis partial) {
            }

            public void onFinal(Hypothesis fin) {
            }
        })) {
            int chunk = SpeechEngine.SAMPLE_RATE / 10;
            short[] buffer = new short[chunk];
            for (int i = 0; i < pcm.length; i += chunk) {
                int n = Math.min(chunk, pcm.length - i);
                System.arraycopy(pcm, i, buffer, 0, n);
                stream.acceptAudio(buffer, n);
            }
            stream.finish();
        }
        return (System.nanoTime() - begin) / 1e9 / audio.durationSeconds();
    }

    @SuppressWarnings("unchecked")
    private static List<Long> cast(Object list) {
        return (List<Long>) list;
    }

    /** A Markdown summary of a result. */
    public static String markdown(Map<String, Object> r) {
        @SuppressWarnings("unchecked")
        Map<String, Object> p = (Map<String, Object>) r.get("partial_latency_ms");
        @SuppressWarnings("unchecked")
        Map<String, Object> f = (Map<String, Object>) r.get("final_latency_ms");
        return String.format(Locale.ROOT, """
                | engine | streams | partial p50 / p95 (ms) | final p50 / p95 (ms) | WER | engine RTF (direct) | process CPU per stream (RTF) | start_pts max error (ticks) |
                | --- | --- | --- | --- | --- | --- | --- | --- |
                | %s | %d | %.0f / %.0f | %.0f / %.0f | %.1f %% | %.3f | %.3f | %d |
                """, r.get("engine"), r.get("streams"), p.get("p50"), p.get("p95"), f.get("p50"), f.get("p95"),
                100 * (Double) r.get("wer"), r.get("engine_rtf_direct"), r.get("process_cpu_rtf_per_stream"),
                r.get("start_pts_error_ticks_max"));
    }
}
