package io.livecap.ingest;

import io.livecap.testkit.DecodedAudioRecorder;
import io.livecap.testkit.TestCertificate;
import io.livecap.testkit.WebSocketMediaServer;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestMedia;
import io.livecap.testkit.LiveEncoder;
import io.livecap.testkit.RtmpServer;
import io.livecap.testkit.HlsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Pulls from real servers on loopback, fed by a real-time encoder: audio flows, the source stops for 5 s and comes
 * back, audio resumes and the gap is reported with about the right length. Prints the latencies it measured.
 */
@Timeout(90)
class PullDecoderTest {

    private static final Duration OUTAGE = Duration.ofSeconds(5);
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(1));
    private static final String KEY = "s3cret-key";

    @TempDir
    Path dir;

    /** Starts the source anew (first start, and again after the outage). */
    private interface SourceStarter {
        AutoCloseable start() throws Exception;
    }

    @Test
    void rtmpAudioResumesAfterThePublisherStopsForFiveSeconds() throws Exception {
        assumeTrue(RtmpServer.available(), RtmpServer.MISSING);
        Path flv = TestMedia.lecture("flv", 0);
        try (RtmpServer server = RtmpServer.start(dir)) {
            String publishUrl = server.applicationUrl() + "/" + KEY;
            PullSource source = PullSource.of(server.applicationUrl(), KEY);
            assertEquals(publishUrl, source.target().toString(), "the key is the RTMP stream name");
            assertFalse(source.toString().contains(KEY), "never shown: " + source);
            runOutage("rtmp", source, () -> LiveEncoder.start(flv, List.of("-f", "flv"), publishUrl, log()),
                    4_500, 11_000);
        }
    }

    @Test
    void rtmpsAudioResumesAfterThePublisherStopsForFiveSeconds() throws Exception {
        assumeTrue(RtmpServer.tlsAvailable(), RtmpServer.TLS_MISSING);
        Path flv = TestMedia.lecture("flv", 0);
        try (RtmpServer server = RtmpServer.start(dir, true)) {
            String publishUrl = server.applicationUrl() + "/" + KEY;
            PullSource source = PullSource.of(server.tlsApplicationUrl(), KEY);
            // the certificate is checked (chain and host name localhost) against the test's CA
            runOutage("rtmps", source, trusting(server.certificate()),
                    () -> LiveEncoder.start(flv, List.of("-f", "flv"), publishUrl, log()), 4_500, 11_000);
        }
    }

    @Test
    void hlsAudioResumesAfterTheEncoderEndsCleanlyAndStartsAgain() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        Path segments = java.nio.file.Files.createDirectories(dir.resolve("hls"));
        try (HlsServer server = HlsServer.start(segments)) {
            PullSource source = PullSource.of(server.url("live.m3u8"), "");
            // SIGTERM makes the encoder write #EXT-X-ENDLIST: the pulling ffmpeg exits 0 and must be restarted
            runOutage("hls", source, () -> LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1",
                            "-hls_list_size", "6", "-hls_flags", "delete_segments+temp_file",
                            "-hls_start_number_source", "epoch"), segments.resolve("live.m3u8").toString(), log()),
                    4_500, 11_000);
        }
    }

    @Test
    void httpsHlsFromLocalhostBehindARedirectIsPulledWithItsCertificateChecked() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        Path segments = java.nio.file.Files.createDirectories(dir.resolve("hls-tls"));
        TestCertificate certificate = TestCertificate.forLocalhost(dir);
        try (HlsServer server = HlsServer.startTls(segments, certificate);
             LiveEncoder encoder = LiveEncoder.start(ts, List.of("-f", "hls", "-hls_time", "1", "-hls_list_size", "6",
                     "-hls_flags", "delete_segments+temp_file", "-hls_start_number_source", "epoch"),
                     segments.resolve("live.m3u8").toString(), log())) {
            awaitFile(segments.resolve("live.m3u8"), Duration.ofSeconds(20)); // until then the playlist is a 404
            DecodedAudioRecorder heard = new DecodedAudioRecorder();
            PullStateTest.States states = new PullStateTest.States();
            PullSource source = PullSource.of(server.url("moved/live.m3u8"), "");
            assertTrue(source.toString().startsWith("https://localhost:"), source.toString());
            try (PullDecoder decoder = PullDecoder.start("https-hls", source, trusting(certificate), heard, states)) {
                heard.await("2 s of audio", Duration.ofSeconds(40), h -> h.samples() >= 32_000);
                assertEquals(PullState.LIVE, decoder.status().state());
                assertEquals(List.of(PullState.CONNECTING, PullState.LIVE),
                        states.seen.stream().map(PullStatus::state).distinct().toList(), states.seen.toString());
            }
        }
    }

    @Test
    void srtAudioResumesAfterTheListenerRestarts() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        int port = LiveEncoder.freePort();
        PullSource source = PullSource.of("srt://localhost:" + port + "?mode=caller", "");
        runOutage("srt", source, () -> LiveEncoder.start(ts, List.of("-f", "mpegts"),
                "srt://127.0.0.1:" + port + "?mode=listener", log()), 4_500, 11_000);
    }

    @Test
    void websocketAudioResumesAfterTheServerDropsAndTheKeyGoesInTheQuery() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        int port = LiveEncoder.freePort();
        PullSource source = PullSource.of("ws://localhost:" + port + "/media/ev42", KEY);
        assertEquals("ws://localhost:" + port + "/media/ev42?key=" + KEY, source.target().toString());
        runOutage("ws", source, () -> WebSocketMediaServer.start(port, KEY,
                LiveEncoder.start(ts, List.of("-f", "mpegts"), "pipe:1", log())), 4_500, 11_000);
    }

    @Test
    void secureWebsocketFromLocalhostIsPulledWithItsCertificateChecked() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        int port = LiveEncoder.freePort();
        TestCertificate certificate = TestCertificate.forLocalhost(dir);
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        try (WebSocketMediaServer server = WebSocketMediaServer.start(port, KEY,
                LiveEncoder.start(ts, List.of("-f", "mpegts"), "pipe:1", log()), certificate);
             PullDecoder decoder = PullDecoder.start("wss-pull", PullSource.of("wss://localhost:" + port + "/media",
                     KEY), trusting(certificate), heard, (id, s) -> {
             })) {
            heard.await("2 s of audio", Duration.ofSeconds(30), h -> h.samples() >= 32_000);
            assertEquals(PullState.LIVE, decoder.status().state());
        }
    }

    @Test
    void websocketWithAWrongKeyIsRefusedAndThePullKeepsRetryingWithoutAudio() throws Exception {
        Path ts = TestMedia.lecture("mpegts", 0);
        int port = LiveEncoder.freePort();
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        try (WebSocketMediaServer server = WebSocketMediaServer.start(port, KEY,
                LiveEncoder.start(ts, List.of("-f", "mpegts"), "pipe:1", log()));
             PullDecoder decoder = PullDecoder.start("ws-bad-key",
                     PullSource.of("ws://localhost:" + port + "/media", "wrong"),
                     TestConfig.loopbackPulls(PullSettings.DEFAULT.withBackoff(QUICK)), heard, (id, s) -> {
                     })) {
            assertTrue(server.refused.tryAcquire(3, 20, TimeUnit.SECONDS), "three attempts, each refused");
            assertTrue(heard.chunks().isEmpty(), "a refused key gives no audio");
            assertFalse(heard.failed.isDone(), "a pull keeps trying rather than failing");
        }
    }

    // --- the scenario ---

    /**
     * The gap is the 5 s outage plus the backoff (at most 1 s) plus a restarted source's and decoder's start-up,
     * which takes seconds more on a loaded machine: the upper bound catches a runaway backoff, not a slow box.
     */
    private void runOutage(String kind, PullSource source, SourceStarter starter, long minGapMs, long maxGapMs)
            throws Exception {
        runOutage(kind, source, TestConfig.loopbackPulls(PullSettings.DEFAULT.withBackoff(QUICK)), starter, minGapMs, maxGapMs);
    }

    /** Quick retries; TLS checked against the test certificate alone (it is its own CA). */
    private static PullSettings trusting(TestCertificate certificate) {
        return TestConfig.loopbackPulls(new PullSettings(QUICK, 3, Duration.ofMinutes(1), true, certificate.certPem()));
    }

    private void runOutage(String kind, PullSource source, PullSettings settings, SourceStarter starter,
                           long minGapMs, long maxGapMs) throws Exception {
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        PullStateTest.States states = new PullStateTest.States();
        AutoCloseable running = starter.start();
        long sourceStarted = System.currentTimeMillis();
        long pid;
        try (PullDecoder decoder = PullDecoder.start(kind + "-pull", source, settings, heard, states)) {
            long pullStarted = System.currentTimeMillis();
            heard.await("3 s of audio", Duration.ofSeconds(30), h -> h.samples() >= 48_000);
            pid = decoder.pid();
            List<Chunk> before = heard.chunks();
            long firstAudioMs = before.get(0).receivedEpochMs() - pullStarted;
            Duration cpu = ProcessHandle.of(pid).flatMap(p -> p.info().totalCpuDuration()).orElse(Duration.ZERO);
            long ranMs = System.currentTimeMillis() - ProcessHandle.of(pid)
                    .flatMap(p -> p.info().startInstant()).map(i -> i.toEpochMilli()).orElse(pullStarted);

            running.close(); // the outage
            Thread.sleep(OUTAGE.toMillis()); // the scenario itself, not synchronisation
            running = starter.start();
            long restarted = System.currentTimeMillis();

            heard.await("a gap, then 2 s of audio", Duration.ofSeconds(40),
                    h -> !h.gaps.isEmpty() && h.samples() >= samplesOf(h.chunks, h.gaps.get(0)) + 32_000);
            MediaGap gap = heard.gaps().get(0);
            List<Chunk> all = heard.chunks();
            int resume = indexOf(all, gap);
            long samplesBefore = all.subList(0, resume).stream().mapToLong(c -> c.payload().length / 4).sum();
            assertEquals(samplesBefore * 1000 / 16_000, gap.atMs(), "the gap sits where the audio stopped");
            assertEquals(gap.resumePts(), all.get(resume).pts(), "the first chunk after the gap carries its pts");
            assertTrue(gap.lengthMs() >= minGapMs && gap.lengthMs() <= maxGapMs,
                    "gap of " + gap.lengthMs() + " ms for a " + OUTAGE.toMillis() + " ms outage: " + gap);
            long resumeLatencyMs = all.get(resume).receivedEpochMs() - restarted;
            List<PullState> path = states.seen.stream().map(PullStatus::state).toList();
            assertEquals(PullState.CONNECTING, path.get(0), path.toString());
            assertEquals(PullState.LIVE, path.get(path.size() - 1), "live again: " + path);
            int firstLive = path.indexOf(PullState.LIVE);
            assertTrue(firstLive > 0 && path.subList(firstLive, path.size()).stream()
                    .anyMatch(p -> p == PullState.RETRYING || p == PullState.CONNECTING),
                    "not live during the outage: " + path);
            pid = decoder.pid();

            System.out.printf(Locale.ROOT, "[media] %s: first audio %d ms after pull start (%d ms after source start); "
                            + "steady added latency %d ms (median, incl. encoder start); resumed %d ms after the "
                            + "source restarted; gap %d ms; ffmpeg CPU %.1f %% of one core%n",
                    kind, firstAudioMs, before.get(0).receivedEpochMs() - sourceStarted,
                    steadyLatencyMs(before, source.timescale(), sourceStarted), resumeLatencyMs, gap.lengthMs(),
                    100.0 * cpu.toMillis() / Math.max(1, ranMs));
        } finally {
            running.close();
        }
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "ffmpeg is gone after close");
        assertEquals(List.of(), TestMedia.runningDecoders(), "no decoding ffmpeg is left");
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().endsWith(kind + "-pull")),
                "no pull thread is left");
    }

    /**
     * How far behind real time audio comes out: each chunk's epoch minus the moment a real-time encoder started at
     * {@code sourceStarted} had produced its last sample. Includes the encoder's own start-up (~0.1 s).
     */
    private static long steadyLatencyMs(List<Chunk> chunks, long timescale, long sourceStarted) {
        long firstPts = chunks.get(0).pts();
        long[] lags = chunks.stream().skip(chunks.size() / 3).mapToLong(c -> {
            long endMs = (c.pts() - firstPts) * 1000 / timescale + c.payload().length / 64;
            return c.receivedEpochMs() - (sourceStarted + endMs);
        }).sorted().toArray();
        return lags[lags.length / 2];
    }

    private static long samplesOf(List<Chunk> chunks, MediaGap gap) {
        return gap.atMs() * 16;
    }

    private static int indexOf(List<Chunk> chunks, MediaGap gap) {
        long samples = 0;
        for (int i = 0; i < chunks.size(); i++) {
            if (samples * 1000 / 16_000 == gap.atMs() && chunks.get(i).receivedEpochMs() == gap.resumeEpochMs()) {
                return i;
            }
            samples += chunks.get(i).payload().length / 4;
        }
        throw new AssertionError("no chunk starts the gap " + gap);
    }

    private static void awaitFile(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!java.nio.file.Files.exists(file)) {
            assertTrue(System.nanoTime() < deadline, file + " not written within " + timeout);
            Thread.sleep(50); // poll interval
        }
    }

    private Path log() {
        return dir.resolve("encoder.log");
    }
}
