package io.livecap.server;

import io.livecap.node.LivecapNode;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import io.netty.util.internal.PlatformDependent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One client flooding one socket cannot make the server (in this JVM, so its memory can be read) hold what it
 * sends: a ping flood whose pongs are never read, and a /v1/vosk client sending audio far faster than it can be
 * recognised, then vanishing. Raw sockets, since a well-behaved client library would not do this.
 */
class AbuseTest {

    private static LivecapNode node;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(Map.of()), TestEngines.pocketsphinx());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    /** Netty's direct memory in use: its own counter where it keeps one, else its allocator's. */
    private static long nettyDirectBytes() {
        long counted = PlatformDependent.usedDirectMemory();
        if (counted >= 0) {
            return counted;
        }
        return ((ByteBufAllocatorMetricProvider) ByteBufAllocator.DEFAULT).metric().usedDirectMemory();
    }

    private static long rssKb() throws IOException {
        for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    /** A websocket upgraded by hand; the caller then writes frames and (here) never reads. */
    private static Socket rawWebSocket(String path) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(4096); // a peer that reads nothing: keep what the kernel holds for it small
        socket.setSendBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", node.port()), 5_000);
        socket.setSoTimeout(5_000);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0 || head.size() > 8192) {
                throw new IOException("no upgrade: " + head);
            }
            head.write(b);
        }
        assertTrue(head.toString(StandardCharsets.US_ASCII).startsWith("HTTP/1.1 101"), head.toString());
        return socket;
    }

    /** One client frame: masked (with a zero key, so the payload goes as is), final. */
    private static byte[] frame(int opcode, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(0x80 | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else {
            out.write(0x80 | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xff);
        }
        out.writeBytes(new byte[4]);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Writes {@code block} again and again until {@code total} bytes went or the time is up; returns bytes sent. */
    private static CompletableFuture<Long> flood(Socket socket, byte[] block, long total, long forMs,
                                                 AtomicLong sent) {
        return CompletableFuture.supplyAsync(() -> {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMs);
            try {
                OutputStream out = socket.getOutputStream();
                while (sent.get() < total && System.nanoTime() < deadline) {
                    out.write(block); // blocks once the server stops reading: that is the point
                    sent.addAndGet(block.length);
                }
            } catch (IOException closedUnderUs) {
                // the test closed the socket to end a blocked write
            }
            return sent.get();
        });
    }

    private static void await(String what, long timeoutMs, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + timeoutMs + " ms: " + what);
            }
            Thread.sleep(20); // polling a condition with a deadline
        }
    }

    @Test
    void aPingFloodWhosePongsAreNeverReadHoldsNoMemory() throws Exception {
        byte[] ping = frame(0x9, new byte[125]);
        byte[] block = new byte[ping.length * 8000]; // about 1 MB of pings per write
        for (int i = 0; i < 8000; i++) {
            System.arraycopy(ping, 0, block, i * ping.length, ping.length);
        }
        long before = nettyDirectBytes();
        long most = before;
        long rssBefore = rssKb();
        long rssMost = rssBefore;
        AtomicLong sent = new AtomicLong();
        try (Socket socket = rawWebSocket("/v1/captions/ping-flood")) {
            CompletableFuture<Long> flooding = flood(socket, block, 512L << 20, 6_000, sent);
            HttpClient http = HttpClient.newHttpClient();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            while (!flooding.isDone() && System.nanoTime() < until) {
                most = Math.max(most, nettyDirectBytes());
                rssMost = Math.max(rssMost, rssKb());
                // the server goes on answering others meanwhile
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + node.port() + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode());
                Thread.sleep(100); // a sampling period, not synchronisation
            }
            socket.close();
            flooding.get(10, TimeUnit.SECONDS);
        }
        long grewMb = (most - before) >> 20;
        long rssGrewMb = (rssMost - rssBefore) >> 10;
        System.out.printf("ping flood: %d MB of pings (%d pings) sent in 6 s; Netty direct memory %d -> max %d MB"
                + " (+%d MB); RSS %d -> max %d MB (+%d MB)%n", sent.get() >> 20, sent.get() / ping.length,
                before >> 20, most >> 20, grewMb, rssBefore >> 10, rssMost >> 10, rssGrewMb);
        assertTrue(grewMb < 32, "direct memory grew by " + grewMb + " MB");
        // the bound for the whole process (the flood once took it from 1.0 to 6.7 GB)
        assertTrue(rssGrewMb < 64, "RSS grew by " + rssGrewMb + " MB");
    }

    @Test
    void aVoskFloodIsBackPressuredAndItsWorkStopsWhenTheClientLeaves() throws Exception {
        long threadsBefore = voskThreads();
        byte[] audio = frame(0x2, new byte[8000]); // 4000 samples at 16 kHz: 250 ms, as vosk-server's examples
        int messages = 960 * 4; // 960 s of audio
        byte[] block = new byte[audio.length * 16];
        for (int i = 0; i < 16; i++) {
            System.arraycopy(audio, 0, block, i * audio.length, audio.length);
        }
        AtomicLong sent = new AtomicLong();
        long mostQueuedMs = 0;
        Socket socket = rawWebSocket("/v1/vosk");
        CompletableFuture<Long> flooding = flood(socket, block, (long) messages * audio.length, 5_000, sent);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!flooding.isDone() && System.nanoTime() < until) {
            mostQueuedMs = Math.max(mostQueuedMs, VoskEndpoint.queuedMillisInAll());
            Thread.sleep(50); // a sampling period
        }
        long sentSeconds = sent.get() / audio.length / 4;
        socket.setSoLinger(true, 0); // and vanish: a reset, no close handshake
        socket.close();
        long left = System.nanoTime();
        await("the recogniser's queue is dropped once the client left", 5_000,
                () -> VoskEndpoint.queuedMillisInAll() == 0);
        await("no recognition thread is left for the gone client", 10_000, () -> voskThreads() <= threadsBefore);
        long stoppedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - left);
        // what the client wrote may sit in the kernel's socket buffers (up to tcp_rmem's maximum): what counts is
        // what the server took in for its recogniser
        System.out.printf("vosk flood: the client wrote %d s of 960 s of audio in 5 s; at most %d ms queued for the"
                + " recogniser; work stopped %d ms after the client left%n", sentSeconds, mostQueuedMs, stoppedMs);
        assertTrue(sentSeconds > 60, "the flood was a flood: " + sentSeconds + " s of audio written");
        assertTrue(mostQueuedMs < 10_000, "queued for the recogniser: " + mostQueuedMs + " ms");
    }

    private static long voskThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("vosk-client") && t.isAlive()).count();
    }
}
