package io.livecap.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Serves an HLS encoder's output directory over HTTP on loopback, as a CDN origin would (JDK HTTP server). */
final class HlsServer implements AutoCloseable {

    private final HttpServer http;
    private final Path dir;

    private HlsServer(HttpServer http, Path dir) {
        this.http = http;
        this.dir = dir;
    }

    static HlsServer start(Path dir) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        HlsServer server = new HlsServer(http, dir);
        http.createContext("/", server::serve);
        http.start();
        return server;
    }

    String url(String file) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/" + file;
    }

    private void serve(HttpExchange exchange) throws IOException {
        try (exchange) {
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
