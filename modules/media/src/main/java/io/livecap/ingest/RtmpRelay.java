package io.livecap.ingest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps an RTMP stream key out of ffmpeg's arguments ({@code /proc/PID/cmdline} is world-readable). ffmpeg 5.1 can
 * take an input URL only on its command line, and for RTMP the key is in that URL (the stream name). So ffmpeg is
 * given {@code rtmp://127.0.0.1:PORT/app/PLACEHOLDER}, a one-connection relay on a loopback port, and the relay
 * connects to the real server (the address {@link PullNetworks} checked; TLS for rtmps, with the name for SNI and
 * the certificate check) and puts the real key back where ffmpeg wrote the placeholder: in the AMF0 strings of
 * ffmpeg's command messages ({@code play}, {@code FCSubscribe}; {@code connect}'s {@code tcUrl} gets the real
 * host). What the client sends is re-chunked (every message with a full header, so lengths that changed cannot
 * confuse the server); what the server sends is copied untouched.
 *
 * <p>The relay accepts only ffmpeg: the peer's socket must be one of the decoder process's own (Linux
 * {@code /proc/net/tcp} and {@code /proc/PID/fd}), so another local user cannot take the stream by connecting first.
 */
final class RtmpRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtmpRelay.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    /** C0 + C1, then C2: the handshake is copied as it is. */
    private static final int C0_C1 = 1 + 1536;
    private static final int C2 = 1536;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int AMF0_COMMAND = 20;
    private static final int SET_CHUNK_SIZE = 1;
    private static final int MAX_MESSAGE = 1 << 20;

    private final ServerSocket listener;
    private final InetSocketAddress upstream;
    private final String host;
    private final SSLContext tls;
    private final boolean verifyHost;
    /** placeholder (what ffmpeg sends) -> what the server must see. */
    private final Map<String, String> replacements = new LinkedHashMap<>();
    private final String localUrl;
    private final CompletableFuture<Long> decoderPid;
    private final List<Closeable> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;
    private volatile String error;
    private volatile boolean closed;

    private RtmpRelay(PullSource source, InetAddress address, int port, SSLContext tls, boolean verifyHost,
                      CompletableFuture<Long> decoderPid) throws IOException {
        this.listener = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
        this.upstream = new InetSocketAddress(address, port);
        this.host = source.url().getHost();
        this.tls = tls;
        this.verifyHost = verifyHost;
        this.decoderPid = decoderPid;
        String local = "rtmp://127.0.0.1:" + listener.getLocalPort();
        URI url = source.url();
        String realAuthority = url.getScheme().toLowerCase(java.util.Locale.ROOT) + "://" + url.getRawAuthority();
        String placeholderKey = placeholder();
        String query = url.getRawQuery();
        if (query != null) {
            StringBuilder replaced = new StringBuilder();
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && eq < pair.length() - 1) {
                    String stand = placeholder();
                    replacements.put(stand, pair.substring(eq + 1));
                    pair = pair.substring(0, eq + 1) + stand;
                }
                replaced.append(replaced.length() == 0 ? "" : "&").append(pair);
            }
            query = replaced.toString();
        }
        URI localBase = URI.create(local + (url.getRawPath() == null ? "" : url.getRawPath())
                + (query == null ? "" : "?" + query));
        if (!source.key().isEmpty()) {
            replacements.put(placeholderKey, source.key());
        }
        replacements.put(local, realAuthority); // connect's tcUrl names the server ffmpeg thinks it talks to
        this.localUrl = source.key().isEmpty() ? localBase.toString()
                : source.keyPlacement().apply(localBase, placeholderKey).toString();
        this.acceptor = new Thread(this::accept, "rtmp-relay-" + listener.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /**
     * Listens on a loopback port for ffmpeg (the process whose pid {@code decoderPid} will hold) and relays it to
     * {@code address}:{@code port}; {@code tls} non-null for rtmps.
     */
    static RtmpRelay start(PullSource source, InetAddress address, int port, SSLContext tls, boolean verifyHost,
                           CompletableFuture<Long> decoderPid) throws IOException {
        RtmpRelay relay = new RtmpRelay(source, address, port, tls, verifyHost, decoderPid);
        relay.acceptor.start();
        return relay;
    }

    /** What ffmpeg reads: no secret in it. */
    String localUrl() {
        return localUrl;
    }

    /** Why the relay failed (the upstream connection, TLS), or null. */
    String error() {
        return error;
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            log.debug("relay listener close: {}", e.getMessage());
        }
        for (Closeable c : open) {
            try {
                c.close();
            } catch (IOException e) {
                log.debug("relay close: {}", e.getMessage());
            }
        }
    }

    private void accept() {
        try {
            for (int tries = 0; tries < 8 && !closed; tries++) {
                Socket client = listener.accept();
                open.add(client);
                if (!fromDecoder(client)) {
                    log.warn("rtmp relay: a connection from port {} that is not livecap's decoder was refused",
                            client.getPort());
                    client.close();
                    continue;
                }
                listener.close(); // one connection per decoder
                Socket server;
                try {
                    server = connectUpstream();
                } catch (IOException e) {
                    error = e.getMessage();
                    client.close();
                    return;
                }
                open.add(server);
                Thread down = new Thread(() -> copy(server, client), acceptor.getName() + "-down");
                down.setDaemon(true);
                down.start();
                try {
                    clientToServer(client.getInputStream(), server.getOutputStream());
                } catch (IOException e) {
                    log.debug("rtmp relay: client side ended: {}", e.getMessage());
                } finally {
                    close();
                }
                return;
            }
        } catch (IOException e) {
            if (!closed) {
                error = "rtmp relay: " + e.getMessage();
            }
        }
    }

    private Socket connectUpstream() throws IOException {
        Socket plain = new Socket();
        try {
            plain.connect(upstream, CONNECT_TIMEOUT_MS);
            if (tls == null) {
                return plain;
            }
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, upstream.getPort(), true);
            SSLParameters parameters = ssl.getSSLParameters();
            if (verifyHost) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!host.matches("[0-9.]+") && !host.contains(":")) {
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            ssl.setSSLParameters(parameters);
            try {
                ssl.startHandshake();
            } catch (javax.net.ssl.SSLException e) {
                throw new IOException("TLS handshake with " + host + " failed (certificate chain or host name not "
                        + "trusted?): " + e.getMessage(), e);
            }
            return ssl;
        } catch (IOException e) {
            plain.close();
            if (e.getMessage() != null && e.getMessage().startsWith("TLS handshake")) {
                throw e;
            }
            throw new IOException("cannot connect to " + host + ":" + upstream.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** True when the peer's end of {@code client} is a socket the decoder process holds (Linux). */
    private boolean fromDecoder(Socket client) {
        Path tcp = Path.of("/proc/net/tcp");
        if (!Files.isReadable(tcp)) {
            return true; // not Linux: nothing to check with
        }
        long pid;
        try {
            pid = decoderPid.get(5, TimeUnit.SECONDS); // ffmpeg may connect before its start() returned
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            return false;
        }
        String peer = String.format("0100007F:%04X", client.getPort());
        String us = String.format("0100007F:%04X", listener.getLocalPort());
        try {
            String inode = null;
            for (String line : Files.readAllLines(tcp)) {
                String[] f = line.strip().split("\\s+");
                if (f.length > 9 && f[1].equals(peer) && f[2].equals(us)) {
                    inode = f[9];
                }
            }
            if (inode == null) {
                return false;
            }
            String wanted = "socket:[" + inode + "]";
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "fd"))) {
                for (Path fd : fds) {
                    try {
                        if (Files.readSymbolicLink(fd).toString().equals(wanted)) {
                            return true;
                        }
                    } catch (IOException e) {
                        // closed meanwhile
                    }
                }
            }
        } catch (IOException e) {
            log.debug("rtmp relay: cannot check the peer: {}", e.getMessage());
        }
        return false;
    }

    private static void copy(Socket from, Socket to) {
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            in.transferTo(out);
        } catch (IOException e) {
            // either side closed: the other follows
        } finally {
            try {
                to.close();
                from.close();
            } catch (IOException e) {
                log.debug("relay: {}", e.getMessage());
            }
        }
    }

    /** One chunk stream's state, as the client's chunk headers leave it. */
    private static final class ChunkStream {
        long timestamp;
        long delta;
        int length;
        int type;
        int streamId;
        boolean extended;
        ByteArrayOutputStream message;
        int remaining;
    }

    private void clientToServer(InputStream in, OutputStream out) throws IOException {
        byte[] hello = in.readNBytes(C0_C1);
        out.write(hello);
        out.flush();
        if (hello.length < C0_C1) {
            return;
        }
        byte[] ack = in.readNBytes(C2);
        out.write(ack);
        out.flush();
        if (ack.length < C2) {
            return;
        }
        Map<Integer, ChunkStream> streams = new HashMap<>();
        int inChunk = 128;
        int outChunk = 128;
        while (true) {
            int first = in.read();
            if (first < 0) {
                return;
            }
            int fmt = first >> 6;
            int csid = first & 0x3f;
            if (csid == 0) {
                csid = 64 + u8(in);
            } else if (csid == 1) {
                csid = 64 + u8(in) + 256 * u8(in);
            }
            ChunkStream s = streams.computeIfAbsent(csid, id -> new ChunkStream());
            boolean starts = s.remaining == 0;
            if (fmt == 0) {
                long ts = u24(in);
                s.length = (int) u24(in);
                s.type = u8(in);
                s.streamId = (int) u32le(in);
                s.extended = ts == 0xFFFFFF;
                s.timestamp = s.extended ? u32(in) : ts;
                s.delta = s.timestamp;
                starts = true;
            } else if (fmt == 1 || fmt == 2) {
                long delta = u24(in);
                if (fmt == 1) {
                    s.length = (int) u24(in);
                    s.type = u8(in);
                }
                s.extended = delta == 0xFFFFFF;
                s.delta = s.extended ? u32(in) : delta;
                s.timestamp += s.delta;
                starts = true;
            } else {
                if (s.extended) {
                    u32(in);
                }
                if (starts) {
                    s.timestamp += s.delta;
                }
            }
            if (starts) {
                if (s.length < 0 || s.length > MAX_MESSAGE) {
                    throw new IOException("client message too large: " + s.length);
                }
                s.message = new ByteArrayOutputStream(s.length);
                s.remaining = s.length;
            }
            int n = Math.min(inChunk, s.remaining);
            byte[] part = in.readNBytes(n);
            if (part.length < n) {
                return;
            }
            s.message.write(part);
            s.remaining -= n;
            if (s.remaining > 0) {
                continue;
            }
            byte[] payload = s.message.toByteArray();
            if (s.type == AMF0_COMMAND) {
                payload = rewrite(payload);
            }
            write(out, csid, s.timestamp, s.type, s.streamId, payload, outChunk);
            if (s.type == SET_CHUNK_SIZE && payload.length >= 4) {
                inChunk = (int) (((payload[0] & 0x7fL) << 24) | ((payload[1] & 0xff) << 16)
                        | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff));
                outChunk = inChunk; // the server was told the same size: the message went out as it came
                if (inChunk < 1) {
                    throw new IOException("bad chunk size " + inChunk);
                }
            }
        }
    }

    /** A whole message: a type-0 header, then type-3 continuation chunks. */
    private static void write(OutputStream out, int csid, long timestamp, int type, int streamId, byte[] payload,
                              int chunk) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 32);
        boolean extended = timestamp >= 0xFFFFFF;
        basicHeader(b, 0, csid);
        u24(b, extended ? 0xFFFFFF : timestamp);
        u24(b, payload.length);
        b.write(type);
        b.write(streamId & 0xff);
        b.write((streamId >> 8) & 0xff);
        b.write((streamId >> 16) & 0xff);
        b.write((streamId >>> 24) & 0xff);
        if (extended) {
            u32(b, timestamp);
        }
        for (int at = 0; at < payload.length || (at == 0 && payload.length == 0); at += chunk) {
            if (at > 0) {
                basicHeader(b, 3, csid);
                if (extended) {
                    u32(b, timestamp);
                }
            }
            b.write(payload, at, Math.min(chunk, payload.length - at));
            if (payload.length == 0) {
                break;
            }
        }
        out.write(b.toByteArray());
        out.flush();
    }

    /** The AMF0 values of a command with every placeholder replaced; the message as it was if it does not parse. */
    private byte[] rewrite(byte[] payload) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 64);
            int[] at = {0};
            while (at[0] < payload.length) {
                value(payload, at, out);
            }
            return out.toByteArray();
        } catch (RuntimeException e) {
            return payload;
        }
    }

    private void value(byte[] p, int[] at, ByteArrayOutputStream out) {
        int marker = p[at[0]++] & 0xff;
        out.write(marker);
        switch (marker) {
            case 0x00 -> copy(p, at, 8, out); // number
            case 0x01 -> copy(p, at, 1, out); // boolean
            case 0x02 -> { // string
                int length = ((p[at[0]] & 0xff) << 8) | (p[at[0] + 1] & 0xff);
                String text = new String(p, at[0] + 2, length, StandardCharsets.UTF_8);
                at[0] += 2 + length;
                byte[] replaced = replace(text).getBytes(StandardCharsets.UTF_8);
                if (replaced.length > 0xFFFF) {
                    throw new IllegalStateException("string too long");
                }
                out.write(replaced.length >> 8);
                out.write(replaced.length & 0xff);
                out.write(replaced, 0, replaced.length);
            }
            case 0x03 -> properties(p, at, out); // object
            case 0x05, 0x06 -> { // null, undefined
            }
            case 0x08 -> { // ECMA array: a count, then properties
                copy(p, at, 4, out);
                properties(p, at, out);
            }
            case 0x0A -> { // strict array
                int count = (int) (((p[at[0]] & 0xffL) << 24) | ((p[at[0] + 1] & 0xff) << 16)
                        | ((p[at[0] + 2] & 0xff) << 8) | (p[at[0] + 3] & 0xff));
                copy(p, at, 4, out);
                for (int i = 0; i < count; i++) {
                    value(p, at, out);
                }
            }
            case 0x0B -> copy(p, at, 10, out); // date
            default -> throw new IllegalStateException("AMF0 marker " + marker);
        }
    }

    private void properties(byte[] p, int[] at, ByteArrayOutputStream out) {
        while (true) {
            int length = ((p[at[0]] & 0xff) << 8) | (p[at[0] + 1] & 0xff);
            copy(p, at, 2 + length, out);
            if (length == 0) {
                copy(p, at, 1, out); // the object end marker
                return;
            }
            value(p, at, out);
        }
    }

    private String replace(String text) {
        String result = text;
        for (Map.Entry<String, String> r : replacements.entrySet()) {
            result = result.replace(r.getKey(), r.getValue());
        }
        return result;
    }

    private static void copy(byte[] p, int[] at, int n, ByteArrayOutputStream out) {
        if (at[0] + n > p.length) {
            throw new IllegalStateException("truncated");
        }
        out.write(p, at[0], n);
        at[0] += n;
    }

    private static String placeholder() {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        return "lcph" + HexFormat.of().formatHex(bytes);
    }

    private static void basicHeader(ByteArrayOutputStream b, int fmt, int csid) {
        if (csid < 64) {
            b.write((fmt << 6) | csid);
        } else if (csid < 320) {
            b.write(fmt << 6);
            b.write(csid - 64);
        } else {
            b.write((fmt << 6) | 1);
            b.write((csid - 64) & 0xff);
            b.write((csid - 64) >> 8);
        }
    }

    private static int u8(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) {
            throw new IOException("the decoder closed mid-chunk");
        }
        return b;
    }

    private static long u24(InputStream in) throws IOException {
        return ((long) u8(in) << 16) | (u8(in) << 8) | u8(in);
    }

    private static long u32(InputStream in) throws IOException {
        return ((long) u8(in) << 24) | ((long) u8(in) << 16) | (u8(in) << 8) | u8(in);
    }

    private static long u32le(InputStream in) throws IOException {
        return u8(in) | (u8(in) << 8) | ((long) u8(in) << 16) | ((long) u8(in) << 24);
    }

    private static void u24(ByteArrayOutputStream b, long v) {
        b.write((int) (v >> 16) & 0xff);
        b.write((int) (v >> 8) & 0xff);
        b.write((int) v & 0xff);
    }

    private static void u32(ByteArrayOutputStream b, long v) {
        b.write((int) (v >> 24) & 0xff);
        b.write((int) (v >> 16) & 0xff);
        b.write((int) (v >> 8) & 0xff);
        b.write((int) v & 0xff);
    }
}
