package io.livecap.bench;

import io.livecap.asr.Hypothesis;
import io.livecap.asr.RecognitionListener;
import io.livecap.asr.RecognitionStream;
import io.livecap.asr.SpeechEngine;
import io.livecap.asr.StreamOptions;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The engine alone, in this process, on the same audio, paced in real time alongside the server's streams: what
 * the engine itself costs (CPU of the feeding thread, which is where the engine computes) and how late its own
 * results are, with nothing of livecap around it. Measured in the same run as the server so that both see the same
 * busy machine; the difference between the two is livecap's overhead.
 */
final class EngineBaseline {

    /** What the engine did: its results as heard, when each chunk went in, and its CPU against audio fed. */
    record Result(List<Heard> heard, SendLog sent, double[] cpuSecondsAtChunk, int chunkMs, double wallSeconds,
                  double runQueueWaitSeconds) {

        /** Engine CPU seconds spent on the first {@code audioMs} of the audio (interpolated between chunks). */
        double cpuSecondsAt(long audioMs) {
            double chunk = (double) audioMs / chunkMs;
            if (chunk <= 0) {
                return 0;
            }
            int whole = (int) Math.floor(chunk);
            if (whole >= cpuSecondsAtChunk.length) {
                return cpuSecondsAtChunk[cpuSecondsAtChunk.length - 1];
            }
            double before = whole == 0 ? 0 : cpuSecondsAtChunk[whole - 1];
            return before + (chunk - whole) * (cpuSecondsAtChunk[whole] - before);
        }

        double cpuSeconds() {
            return cpuSecondsAtChunk.length == 0 ? 0 : cpuSecondsAtChunk[cpuSecondsAtChunk.length - 1];
        }
    }

    private final SpeechEngine engine;
    private final short[] pcm;
    private final int chunkMs;

    /** @param pcm the audio as the engine takes it: 16 kHz mono */
    EngineBaseline(SpeechEngine engine, short[] pcm, int chunkMs) {
        this.engine = engine;
        this.pcm = pcm;
        this.chunkMs = chunkMs;
    }

    /** Feeds the whole audio in real time on the calling thread. */
    Result run() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        List<Heard> heard = new ArrayList<>();
        SendLog sent = new SendLog(SpeechEngine.SAMPLE_RATE);
        long[] utterance = {1};
        RecognitionListener listener = new RecognitionListener() {
            @Override
            public void onPartial(Hypothesis partial) {
                if (!partial.isEmpty()) {
                    heard.add(Heard.of(partial, utterance[0], false, System.currentTimeMillis()));
                }
            }

            @Override
            public void onFinal(Hypothesis fin) {
                if (!fin.isEmpty()) {
                    heard.add(Heard.of(fin, utterance[0]++, true, System.currentTimeMillis()));
                }
            }
        };
        int chunk = SpeechEngine.SAMPLE_RATE * chunkMs / 1000;
        double[] cpu = new double[(pcm.length + chunk - 1) / chunk];
        short[] buffer = new short[chunk];
        long begin;
        double waitBegin = runQueueWaitSeconds();
        try (RecognitionStream stream = engine.openStream(StreamOptions.of("en-US"), listener)) {
            begin = System.nanoTime();
            long cpuBegin = threads.getCurrentThreadCpuTime();
            for (int i = 0, c = 0; i < pcm.length; i += chunk, c++) {
                long due = begin + (long) i * 1_000_000_000L / SpeechEngine.SAMPLE_RATE;
                LockSupport.parkNanos(due - System.nanoTime()); // pacing, like the feeders' clock
                int n = Math.min(chunk, pcm.length - i);
                System.arraycopy(pcm, i, buffer, 0, n);
                sent.sent(i, n, System.currentTimeMillis());
                stream.acceptAudio(buffer, n);
                if (i + n >= pcm.length) {
                    stream.finish();
                }
                cpu[c] = (threads.getCurrentThreadCpuTime() - cpuBegin) / 1e9;
            }
        }
        return new Result(List.copyOf(heard), sent, cpu, chunkMs, (System.nanoTime() - begin) / 1e9,
                runQueueWaitSeconds() - waitBegin);
    }

    /** How long this thread has waited for a CPU so far. */
    private static double runQueueWaitSeconds() {
        try {
            return ProcSnapshot.runQueueWaitSeconds(Files.readString(Path.of("/proc/thread-self/schedstat")));
        } catch (IOException e) {
            return Double.NaN;
        }
    }
}
