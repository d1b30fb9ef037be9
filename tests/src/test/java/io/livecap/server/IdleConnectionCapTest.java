package io.livecap.server;

import io.livecap.audio.WavAudio;
import io.livecap.client.AudioFeeder;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.SharedAudio;
import io.livecap.testkit.StreamRun;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.livecap.testkit.WordErrorRate;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12's abuse case at its size: 200 ingest connections that open and then say nothing fill the cap of 200;
 * the 201st is refused with {@code server_busy} (close 1013); once one leaves, a real stream takes its slot and
 * captions as well as on an idle server, beside the 199 still open.
 */
class IdleConnectionCapTest {

    private static final int CAP = 200;
    private static final String REFERENCE = "the committee will meet on tuesday to discuss the new budget the"
            + " president said the government would raise taxes next year students should read the first three"
            + " chapters before the next lecture";

    private static long rssKb() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    @Test
    void twoHundredIdleConnectionsFillTheCapTheNextIsBusyAndARealStreamBesideThemCaptions() throws Exception {
        // no start timeout or idle timeout within the test: the connections stay until the test closes them
        try (LivecapNode node = LivecapNode.start(TestConfig.local(Map.of(
                "limits.max_ingest_sessions", String.valueOf(CAP), "limits.start_timeout_seconds", "300",
                "limits.idle_timeout_seconds", "300")), TestEngines.pocketsphinx())) {
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            Bootstrap client = new Bootstrap().group(group).channel(NioSocketChannel.class)
                    .option(ChannelOption.SO_LINGER, 0);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", node.port());
            List<FuzzClient> idle = new ArrayList<>();
            try {
                long rssBefore = rssKb();
                long t0 = System.nanoTime();
                for (int i = 0; i < CAP; i++) {
                    idle.add(FuzzClient.connect(client, address,
                            URI.create("ws://127.0.0.1:" + node.port() + "/v1/ingest/idle-" + i), 15_000));
                }
                long openedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                // each was upgraded and holds its slot: a ping round trip on each says the server still has it open
                for (FuzzClient c : idle) {
                    assertEquals(IngestOracle.OPEN, IngestOracle.outcome(c.probe(15_000)));
                }
                long rssIdle = rssKb();
                try (FuzzClient over = FuzzClient.connect(client, address,
                        URI.create("ws://127.0.0.1:" + node.port() + "/v1/ingest/one-too-many"), 15_000)) {
                    FuzzClient.Answers refused = over.probe(15_000, false);
                    assertEquals("server_busy", IngestOracle.outcome(refused), "the 201st: " + refused);
                    assertEquals(1013, refused.closeStatus());
                    assertTrue(refused.texts().get(0).path("message").asText().contains(String.valueOf(CAP)),
                            refused.texts().toString());
                }
                idle.remove(0).close();
                WavAudio lecture = WavAudio.read(SharedAudio.file(SharedAudio.LECTURE));
                short[] clip = Arrays.copyOf(lecture.samples(), 12 * 16_000);
                AudioFeeder.Source audio = AudioFeeder.of(clip, 16_000, 1);
                StreamRun run = null;
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (run == null) { // the freed slot is given back once the server has seen the close
                    try {
                        run = new StreamRun(node, "beside-the-idle", new AudioFeeder().realtime(true)).open(audio);
                    } catch (java.io.IOException | java.util.concurrent.ExecutionException busy) {
                        if (System.nanoTime() > deadline) {
                            throw new AssertionError("the freed slot was not given back", busy);
                        }
                        Thread.sleep(50); // polling a condition with a deadline
                    }
                }
                run.feedAll(audio);
                double wer = WordErrorRate.of(REFERENCE, run.finalText());
                for (FuzzClient c : idle) { // still there, every one
                    assertEquals(IngestOracle.OPEN, IngestOracle.outcome(c.probe(15_000)));
                }
                System.out.printf("idle connections: %d opened in %d ms; RSS %d -> %d MB (%.0f KB each); the %dst"
                                + " refused with server_busy; a real stream beside %d of them: WER %.1f %%%n",
                        CAP, openedMs, rssBefore >> 10, rssIdle >> 10, (rssIdle - rssBefore) / (double) CAP, CAP + 1,
                        idle.size(), wer * 100);
                assertTrue(wer <= 0.10, "the real stream beside the idle connections suffered: WER " + wer + ": "
                        + run.finalText());
            } finally {
                idle.forEach(FuzzClient::close);
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
        }
    }
}
