package io.livecap.testkit;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Serves an HLS encoder's output directory over HTTP or HTTPS on loopback, as a CDN origin would (JDK HTTP server),
 * under {@code http(s)://localhost:PORT/}. {@code /moved/X} answers 302 to {@code /X} (a redirecting CDN edge).
 */
public final class HlsServer implements AutoCloseable {

    private final HttpServer http;
    private final Path dir;

    private HlsServer(HttpServer http, Path dir) {
        this.http = http;
        this.dir = dir;
    }

    public static HlsServer start(Path dir) throws IOException {
        return serve(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16), dir);
    }

    /** Over HTTPS with {@code certificate}. */
    public static HlsServer startTls(Path dir, TestCertificate certificate) throws Exception {
        SSLContext tls = certificate.serverContext();
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        return serve(https, dir);
    }

    private static HlsServer serve(HttpServer http, Path dir) {
        HlsServer server = new HlsServer(http, dir);
        http.createContext("/", server::serve);
        http.start();
        return server;
    }

    public String url(String file) {
        return (http instanceof HttpsServer ? "https" : "http") + "://localhost:" + http.getAddress().getPort()
                + "/" + file;
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (exchange.getRequestURI().getPath().startsWith("/moved/")) {
                exchange.getResponseHeaders().set("Location", exchange.getRequestURI().getPath().substring(6));
                exchange.sendResponseHeaders(302, -1);
                return;
            }
            Path file = dir.resolve(exchange.getRequestURI().getPath().substring(1)).normalize();
            byte[] body;
            try {
                body = file.startsWith(dir) ? Files.readAllBytes(file) : null;
            } catch (NoSuchFileException e) {
                body = null;
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", file.toString().endsWith(".m3u8")
                    ? "application/vnd.apple.mpegurl" : "video/mp2t");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        http.stop(0);
    }
}
