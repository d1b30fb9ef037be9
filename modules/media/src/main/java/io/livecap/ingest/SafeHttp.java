package io.livecap.ingest;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP(S) GETs for pulls, where every connection goes to an address {@link PullNetworks} has checked. Why not
 * {@code java.net.http.HttpClient} or ffmpeg: both resolve the name again themselves (a rebinding DNS server can then
 * answer 127.0.0.1 the second time), and ffmpeg follows redirects and fetches HLS segments without asking. Here each
 * request resolves the host once, checks every address, and opens the socket to a checked one; redirects are
 * followed by hand ({@value #MAX_REDIRECTS} at most), each hop checked the same way. HTTP/1.1, one connection per
 * request ({@code Connection: close}): a playlist and a segment every few seconds need no pooling.
 *
 * <p>Credentials in a URL's userinfo become a Basic {@code Authorization} header (never sent to another host after
 * a redirect); they never reach a process's arguments.
 */
final class SafeHttp {

    static final int MAX_REDIRECTS = 5;
    /** A playlist or a few seconds of MPEG-TS: far below this. */
    private static final int MAX_BODY = 64 * 1024 * 1024;
    private static final int MAX_HEADER_LINE = 16 * 1024;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    private static final int READ_TIMEOUT_MS = 15_000;

    /** What a GET gave: the URL it ended at (after redirects; relative references resolve against it) and the body. */
    record Answer(URI url, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final PullNetworks networks;
    private final SSLContext tls;
    private final boolean verifyHost;

    SafeHttp(PullNetworks networks, SSLContext tls, boolean verifyHost) {
        this.networks = networks;
        this.tls = tls;
        this.verifyHost = verifyHost;
    }

    /**
     * GETs {@code url}, following redirects; a non-200 final answer is an IOException that says "server returned
     * NNN" (what {@link PullError} classifies), a refused address is a {@link RefusedAddress}.
     */
    Answer get(URI url, Map<String, String> headers) throws IOException {
        URI at = url;
        String origin = authority(url);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            String scheme = at.getScheme() == null ? "" : at.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw new RefusedAddress("refused: " + (hop == 0 ? "" : "a redirect to ") + scheme
                        + ":// (only http and https are fetched)");
            }
            boolean sameOrigin = authority(at).equals(origin);
            Response response = once(at, headers, sameOrigin);
            if (response.status / 100 == 3 && response.headers.containsKey("location")) {
                URI next;
                try {
                    next = at.resolve(response.headers.get("location").strip());
                } catch (IllegalArgumentException e) {
                    throw new IOException("server returned a bad redirect location for " + RedactedUrl.of(at));
                }
                at = next;
                continue;
            }
            if (response.status != 200) {
                throw new IOException("server returned " + response.status + " " + response.reason + " for "
                        + RedactedUrl.of(at));
            }
            return new Answer(at, response.body);
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + RedactedUrl.of(url));
    }

    private record Response(int status, String reason, Map<String, String> headers, byte[] body) {
    }

    private Response once(URI url, Map<String, String> headers, boolean sendCredentials) throws IOException {
        boolean https = url.getScheme().equalsIgnoreCase("https");
        String host = url.getHost();
        if (host == null) {
            throw new IOException("no host in " + RedactedUrl.of(url));
        }
        int port = url.getPort() > 0 ? url.getPort() : https ? 443 : 80;
        List<InetAddress> addresses = networks.resolve(host, port);
        try (Socket socket = connect(addresses, port, host, https)) {
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            StringBuilder request = new StringBuilder();
            String path = (url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                    + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery());
            request.append("GET ").append(path).append(" HTTP/1.1\r\n");
            request.append("Host: ").append(host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                    .append(url.getPort() > 0 ? ":" + url.getPort() : "").append("\r\n");
            request.append("User-Agent: livecap\r\nAccept: */*\r\nConnection: close\r\n");
            if (sendCredentials && url.getRawUserInfo() != null) {
                String credentials = URLDecoder.decode(url.getRawUserInfo(), StandardCharsets.UTF_8);
                request.append("Authorization: Basic ").append(Base64.getEncoder().encodeToString(
                        credentials.getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            request.append("\r\n");
            out.write(request.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return read(new BufferedInputStream(socket.getInputStream()));
        }
    }

    /** A socket to the first checked address that answers; TLS with the name for SNI and the certificate check. */
    private Socket connect(List<InetAddress> addresses, int port, String host, boolean https) throws IOException {
        IOException last = null;
        for (InetAddress address : addresses) {
            Socket plain = new Socket();
            try {
                plain.connect(new InetSocketAddress(address, port), CONNECT_TIMEOUT_MS);
                if (!https) {
                    return plain;
                }
                SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
                SSLParameters parameters = ssl.getSSLParameters();
                if (verifyHost) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (!host.matches("[0-9.]+") && !host.contains(":")) {
                    parameters.setServerNames(List.of(new SNIHostName(host)));
                }
                ssl.setSSLParameters(parameters);
                ssl.setSoTimeout(READ_TIMEOUT_MS);
                ssl.startHandshake();
                return ssl;
            } catch (javax.net.ssl.SSLException e) {
                plain.close();
                throw new IOException("TLS handshake with " + host + " failed (certificate chain or host name not "
                        + "trusted?): " + e.getMessage(), e);
            } catch (IOException e) {
                plain.close();
                last = e;
            }
        }
        throw new IOException("cannot connect to " + host + ":" + port + ": "
                + (last == null ? "no address" : last.getMessage()), last);
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: " + RedactedUrl.of(statusLine));
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("not an HTTP status: " + RedactedUrl.of(statusLine));
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 0; i < 200; i++) {
            String header = line(in);
            if (header.isEmpty()) {
                break;
            }
            int colon = header.indexOf(':');
            if (colon > 0) {
                headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                        header.substring(colon + 1).strip());
            }
        }
        byte[] body;
        if (status / 100 == 3 || status == 204 || status == 304) {
            body = new byte[0];
        } else if ("chunked".equalsIgnoreCase(headers.getOrDefault("transfer-encoding", ""))) {
            body = chunked(in);
        } else if (headers.containsKey("content-length")) {
            long length;
            try {
                length = Long.parseLong(headers.get("content-length"));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length");
            }
            if (length > MAX_BODY || length < 0) {
                throw new IOException("answer too large: " + length + " bytes");
            }
            body = in.readNBytes((int) length);
            if (body.length < length) {
                throw new IOException("the server closed after " + body.length + " of " + length + " bytes");
            }
        } else {
            body = in.readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                throw new IOException("answer too large");
            }
        }
        return new Response(status, parts.length > 2 ? parts[2] : "", headers, body);
    }

    private static byte[] chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = line(in);
            int semi = size.indexOf(';');
            int length;
            try {
                length = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size");
            }
            if (length == 0) {
                while (!line(in).isEmpty()) { // trailers
                }
                return body.toByteArray();
            }
            if (length < 0 || body.size() + (long) length > MAX_BODY) {
                throw new IOException("answer too large");
            }
            byte[] chunk = in.readNBytes(length);
            if (chunk.length < length) {
                throw new IOException("the server closed mid-chunk");
            }
            body.write(chunk);
            line(in);
        }
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_HEADER_LINE) {
                throw new IOException("header line too long");
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("the server closed the connection without an answer");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static String authority(URI url) {
        return (url.getScheme() + "://" + url.getHost() + ":" + url.getPort()).toLowerCase(Locale.ROOT);
    }
}
