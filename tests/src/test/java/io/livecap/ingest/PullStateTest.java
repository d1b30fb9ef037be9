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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A pull that cannot work says so: a 404 playlist, an unknown host and an untrusted certificate reach
 * {@code failed} with the right error; a refused port is {@code retrying} with the error and the next attempt's
 * time, then {@code failed} after the configured time without audio; none of them is ever {@code live}.
 */
@Timeout(60)
class PullStateTest {

    /** Fast retries, two permanent errors in a row give up, 3 s without audio gives up. */
    private static final PullSettings QUICK = TestConfig.loopbackPulls(new PullSettings(new Backoff(
            Duration.ofMillis(100), Duration.ofMillis(200)), 2, Duration.ofSeconds(3), true, null));

    @TempDir
    Path dir;

    /** Every status a pull reported, in order; waits (bounded) for one that matches. */
    static final class States implements PullStateListener {
        final List<PullStatus> seen = new ArrayList<>();

        @Override
        public synchronized void onPullState(String streamId, PullStatus status) {
            seen.add(status);
            notifyAll();
        }

        synchronized PullStatus await(String what, Duration timeout, Predicate<PullStatus> wanted)
                throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                for (PullStatus s : seen) {
                    if (wanted.test(s)) {
                        return s;
                    }
                }
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    fail("no " + what + " within " + timeout + "; saw " + seen);
                }
                wait(left);
            }
        }

        synchronized boolean everLive() {
            return seen.stream().anyMatch(s -> s.state() == PullState.LIVE);
        }
    }

    private PullStatus failedWith(PullSource source, PullSettings settings, String expectedError, Duration within)
            throws Exception {
        States states = new States();
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        long started = System.nanoTime();
        try (PullDecoder ignored = PullDecoder.start("state-test", source, settings, heard, states)) {
            PullStatus failed = states.await("failed", within, s -> s.state() == PullState.FAILED);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertTrue(failed.lastError().toLowerCase().contains(expectedError.toLowerCase()),
                    "the error says " + expectedError + ": " + failed);
            assertEquals(failed.lastError(), heard.awaitFailure(Duration.ofSeconds(5)), "the listener hears it");
            assertFalse(states.everLive(), "never live: " + states.seen);
            assertEquals(PullState.CONNECTING, states.seen.get(0).state());
            System.out.printf("[pull-state] %s: failed after %d ms: %s%n", source, tookMs, failed.lastError());
            return failed;
        }
    }

    @Test
    void aPlaylistThatIs404FailsWith404AndIsNeverLive() throws Exception {
        try (HlsServer server = HlsServer.start(Files.createDirectories(dir.resolve("empty")))) {
            failedWith(PullSource.of(server.url("missing.m3u8"), ""), QUICK, "404", Duration.ofSeconds(20));
        }
    }

    @Test
    void anUnknownHostFailsNamingTheHost() throws Exception {
        failedWith(PullSource.of("rtmp://nonexistent.invalid/live", "media-key"), QUICK, "unknown host nonexistent.invalid",
                Duration.ofSeconds(20));
    }

    @Test
    void anUnknownWebsocketHostFailsToo() throws Exception {
        failedWith(PullSource.of("wss://nonexistent.invalid/media", "media-key"), QUICK, "unknown host",
                Duration.ofSeconds(20));
    }

    @Test
    void aRefusedPortIsRetryingWithTheErrorAndTheNextAttemptThenFailsWithoutAudio() throws Exception {
        int port = LiveEncoder.freePort(); // nothing listens there
        States states = new States();
        DecodedAudioRecorder heard = new DecodedAudioRecorder();
        Instant started = Instant.now();
        try (PullDecoder ignored = PullDecoder.start("refused", PullSource.of("http://localhost:" + port
                + "/live.m3u8", ""), QUICK, heard, states)) {
            PullStatus retrying = states.await("retrying", Duration.ofSeconds(10),
                    s -> s.state() == PullState.RETRYING);
            assertTrue(retrying.lastError().toLowerCase().contains("connection refused"), retrying.toString());
            assertNotNull(retrying.nextAttemptAt(), "says when it tries again");
            assertTrue(retrying.nextAttemptAt().isAfter(started), retrying.toString());
            PullStatus failed = states.await("failed", Duration.ofSeconds(15), s -> s.state() == PullState.FAILED);
            assertTrue(failed.lastError().startsWith("no audio for 3 s"), failed.toString());
            assertTrue(failed.lastError().toLowerCase().contains("connection refused"), "keeps the cause: " + failed);
            assertTrue(Duration.between(started, failed.since()).toMillis() < 6_000, "about 3 s: " + failed);
            assertFalse(states.everLive(), "never live: " + states.seen);
        }
    }

    @Test
    void anRtmpsServerWhoseCertificateIsNotTrustedFailsWithATlsError() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(RtmpServer.tlsAvailable(), RtmpServer.TLS_MISSING);
        try (RtmpServer server = RtmpServer.start(dir, true)) {
            failedWith(PullSource.of(server.tlsApplicationUrl(), "media-key"), QUICK, "certificate", Duration.ofSeconds(20));
        }
    }

    @Test
    void anHttpsPlaylistWhoseCertificateIsNotTrustedFailsWithATlsError() throws Exception {
        TestCertificate certificate = TestCertificate.forLocalhost(dir);
        try (HlsServer server = HlsServer.startTls(Files.createDirectories(dir.resolve("hls")), certificate)) {
            failedWith(PullSource.of(server.url("live.m3u8"), ""), QUICK, "certificate", Duration.ofSeconds(20));
        }
    }

    @Test
    void aWebsocketWhoseHandshakeIsAnswered404FailsWith404() throws Exception {
        try (HlsServer server = HlsServer.start(Files.createDirectories(dir.resolve("nothing")))) {
            failedWith(PullSource.of("ws://localhost:" + server.port() + "/media/ev1", "media-key"), QUICK, "404",
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void aSecureWebsocketWhoseCertificateIsNotTrustedFails() throws Exception {
        TestCertificate certificate = TestCertificate.forLocalhost(dir);
        int port = LiveEncoder.freePort();
        Path ts = TestMedia.lecture("mpegts", 0);
        try (WebSocketMediaServer ignored = WebSocketMediaServer.start(port, "media-key",
                LiveEncoder.start(ts, List.of("-f", "mpegts"), "pipe:1", dir.resolve("enc.log")), certificate)) {
            failedWith(PullSource.of("wss://localhost:" + port + "/media", "media-key"), QUICK, "certif",
                    Duration.ofSeconds(20));
        }
    }

    @Test
    void stoppingAPullEndsIt() throws Exception {
        States states = new States();
        PullDecoder decoder = PullDecoder.start("stopped", PullSource.of("srt://localhost:" + LiveEncoder.freePort()
                + "?mode=caller", ""), QUICK, new DecodedAudioRecorder(), states);
        decoder.close();
        assertEquals(PullState.ENDED, decoder.status().state());
        assertEquals(PullState.ENDED, states.seen.get(states.seen.size() - 1).state());
    }
}
