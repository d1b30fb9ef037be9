package io.livecap.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.livecap.captions.Json;
import io.livecap.node.LivecapNode;
import io.livecap.testkit.CapturedLogs;
import io.livecap.testkit.TestConfig;
import io.livecap.testkit.TestEngines;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Client mistakes at the protocol level, written as raw bytes on a socket: each gets its HTTP status or websocket
 * close code (after a JSON error message), and none leaves a stack trace in the log.
 */
class ProtocolHardeningTest {

    private static LivecapNode node;

    @BeforeAll
    static void start() throws Exception {
        node = LivecapNode.start(TestConfig.local(), TestEngines.pocketsphinx());
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    // ---- HTTP

    @Test
    void aUrlOverTheLimitIs414() throws Exception {
        String answer = http("GET /v1/streams/" + "a".repeat(5_000) + " HTTP/1.1\r\nHost: x\r\n\r\n");
        assertStatus(414, answer);
        assertTrue(answer.contains("request line longer than 4096 bytes"), answer);
    }

    @Test
    void aGarbageRequestLineIs400() throws Exception {
        String answer = http("this is not http\r\n\r\n");
        assertStatus(400, answer);
        assertTrue(answer.contains("malformed HTTP request"), answer);
        assertTrue(!answer.contains("bad-request"), answer);
    }

    @Test
    void headersOverTheLimitAre431() throws Exception {
        String answer = http("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(10_000) + "\r\n\r\n");
        assertStatus(431, answer);
    }

    @Test
    void aBodyOverTheLimitIs413() throws Exception {
        String answer = http("POST /v1/streams HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: 200000\r\nConnection: close\r\n\r\n{\"id\":\"x\"");
        assertStatus(413, answer);
    }

    // ---- websockets

    @Test
    void aFragmentedMessageOverTheLimitClosesWith1009AndAnError() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/ingest/frag6m")) {
            ws.sendFrame(true, 0, 0x1, ("{\"type\":\"start\",\"codec\":\"pcm_s16le\",\"sample_rate\":16000,"
                    + "\"channels\":1}").getBytes(StandardCharsets.UTF_8));
            ws.awaitText("ready");
            byte[] fragment = new byte[64 * 1024];
            int fragments = 6 * 1024 * 1024 / fragment.length;
            try {
                for (int i = 0; i < fragments && !ws.closed.isDone(); i++) {
                    ws.sendFrame(i == fragments - 1, 0, i == 0 ? 0x2 : 0x0, fragment);
                }
            } catch (IOException e) {
                // the server may close while the rest is still on its way: what it said before counts
            }
            ws.assertClosed(1009, "too_big");
        }
    }

    @Test
    void aSingleFrameOverTheLimitClosesWith1009() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/ingest/frame5m")) {
            ws.sendHeaderOnly(0x2, 5L * 1024 * 1024);
            ws.assertClosed(1009, "too_big");
        }
    }

    @Test
    void invalidUtf8InATextFrameClosesWith1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/ingest/utf8")) {
            ws.sendFrame(true, 0, 0x1, new byte[]{'{', '"', (byte) 0xC3, 0x28, '"', '}'});
            ws.assertClosed(1007, "invalid_utf8");
        }
    }

    @Test
    void invalidUtf8OnTheCaptionSocketClosesWith1007() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/captions/utf8")) {
            ws.sendFrame(true, 0, 0x1, new byte[]{(byte) 0xED, (byte) 0xA0, (byte) 0x80});
            ws.assertClosed(1007, "invalid_utf8");
        }
    }

    @Test
    void rsvBitsWithoutAnExtensionCloseWith1002() throws Exception {
        try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/vosk")) {
            ws.sendFrame(true, 0b100, 0x1, "{}".getBytes(StandardCharsets.UTF_8));
            ws.assertClosed(1002, "bad_frame");
        }
    }

    @Test
    void twentyClientMistakesLogNoStackTraceAndTheServerKeepsServing() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            for (int round = 0; round < 4; round++) {
                assertStatus(414, http("GET /" + "u".repeat(4_200) + " HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertStatus(400, http("\u0001\u0002 nonsense\r\n\r\n"));
                assertStatus(431, http("GET / HTTP/1.1\r\nX: " + "h".repeat(9_000) + "\r\n\r\n"));
                try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/ingest/m" + round)) {
                    ws.sendFrame(true, 0, 0x1, new byte[]{(byte) 0xFF});
                    ws.assertClosed(1007, "invalid_utf8");
                }
                try (RawWebSocket ws = RawWebSocket.open(node.port(), "/v1/captions/m" + round)) {
                    ws.sendFrame(true, 0b010, 0x2, new byte[4]);
                    ws.assertClosed(1002, "bad_frame");
                }
            }
            List<String> noisy = logs.lines().stream()
                    .filter(l -> l.contains("\tat ") || l.startsWith("WARN") || l.startsWith("ERROR")).toList();
            assertEquals(List.of(), noisy, "client mistakes are not the server's errors");
        }
        assertStatus(200, http("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    }

    private static void assertStatus(int status, String answer) {
        assertTrue(answer.startsWith("HTTP/1.1 " + status + " "), "expected " + status + ", got: "
                + answer.substring(0, Math.min(300, answer.length())));
    }

    /** Writes raw bytes and reads the answer until the server closes (bounded by the socket timeout). */
    private static String http(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", node.port())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // a reset after the answer (the server closed with our unread bytes): the answer is what counts
            }
            return answer.toString(StandardCharsets.UTF_8);
        }
    }

    /**
     * A websocket client that writes frames byte by byte as the test wants them (masked, as a client must) and
     * reads the server's frames on its own thread, so what the server says arrives even while the test is writing.
     */
    private static final class RawWebSocket implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final List<JsonNode> texts = new CopyOnWriteArrayList<>();
        private final BlockingQueue<JsonNode> arriving = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        private RawWebSocket(Socket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
        }

        static RawWebSocket open(int port, String path) throws IOException {
            Socket socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(15_000);
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                    + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            DataInputStream in = new DataInputStream(socket.getInputStream());
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                if (head.length() > 4096) {
                    throw new IOException("no end to the handshake answer: " + head);
                }
                head.append((char) in.readUnsignedByte());
            }
            if (!head.toString().startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + head);
            }
            RawWebSocket ws = new RawWebSocket(socket);
            Thread reader = new Thread(() -> ws.read(in), "raw-ws-reader");
            reader.setDaemon(true);
            reader.start();
            return ws;
        }

        private void read(DataInputStream in) {
            try {
                while (true) {
                    int first = in.readUnsignedByte();
                    long length = in.readUnsignedByte() & 0x7F;
                    if (length == 126) {
                        length = in.readUnsignedShort();
                    } else if (length == 127) {
                        length = in.readLong();
                    }
                    byte[] payload = new byte[(int) length];
                    in.readFully(payload);
                    int opcode = first & 0x0F;
                    if (opcode == 0x1) {
                        JsonNode text = Json.MAPPER.readTree(payload);
                        texts.add(text);
                        arriving.add(text);
                    } else if (opcode == 0x8) {
                        closed.complete(payload.length >= 2 ? ByteBuffer.wrap(payload).getShort() & 0xFFFF : 1005);
                        return;
                    }
                }
            } catch (EOFException e) {
                closed.complete(1006);
            } catch (IOException e) {
                closed.complete(1006);
            }
        }

        void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(14);
            header.put((byte) ((fin ? 0x80 : 0) | (rsv << 4) | opcode));
            putLength(header, payload.length);
            header.putInt(0); // a zero mask key: the payload goes as it is
            out.write(header.array(), 0, header.position());
            out.write(payload);
            out.flush();
        }

        /** Announces a frame of {@code length} bytes without sending them. */
        void sendHeaderOnly(int opcode, long length) throws IOException {
            ByteBuffer header = ByteBuffer.allocate(14);
            header.put((byte) (0x80 | opcode));
            putLength(header, length);
            header.putInt(0);
            out.write(header.array(), 0, header.position());
            out.flush();
        }

        private static void putLength(ByteBuffer header, long length) {
            if (length < 126) {
                header.put((byte) (0x80 | length));
            } else if (length < 65_536) {
                header.put((byte) (0x80 | 126)).putShort((short) length);
            } else {
                header.put((byte) (0x80 | 127)).putLong(length);
            }
        }

        void awaitText(String type) throws Exception {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            for (JsonNode next; (next = arriving.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) != null; ) {
                if (next.path("type").asText().equals(type)) {
                    return;
                }
            }
            throw new AssertionError("no " + type + " message within 10 s; got " + texts);
        }

        /** The server sent {"type":"error","code":code,...} and then closed with {@code status}. */
        void assertClosed(int status, String code) throws Exception {
            int got = closed.get(15, TimeUnit.SECONDS);
            JsonNode error = texts.stream().filter(t -> t.path("type").asText().equals("error")).findFirst()
                    .orElseThrow(() -> new AssertionError("no error message before close " + got + "; got " + texts));
            assertEquals(status, got, "close status; messages " + texts);
            assertEquals(code, error.path("code").asText(), texts.toString());
            assertTrue(!error.path("message").asText().isBlank(), "the error says why");
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
