package io.livecap.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An RTMP server on loopback for tests: Debian's nginx with the RTMP module, in the foreground, everything (config,
 * pid, logs) in a temp directory.
 */
public final class RtmpServer implements AutoCloseable {

    public static final Path NGINX = Path.of("/usr/sbin/nginx");
    public static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    public static final Path STREAM_MODULE = Path.of("/usr/lib/nginx/modules/ngx_stream_module.so");
    public static final Path OPENSSL = Path.of("/usr/bin/openssl");
    public static final String MISSING = "skipped: RTMP tests need nginx with its RTMP module: "
            + "apt-get install nginx-light libnginx-mod-rtmp";
    public static final String TLS_MISSING = "skipped: RTMPS tests need nginx's stream module and openssl: "
            + "apt-get install nginx-light libnginx-mod-rtmp libnginx-mod-stream openssl";

    private final Process nginx;
    private final int port;
    private final int tlsPort;
    private final TestCertificate certificate;

    private RtmpServer(Process nginx, int port, int tlsPort, TestCertificate certificate) {
        this.nginx = nginx;
        this.port = port;
        this.tlsPort = tlsPort;
        this.certificate = certificate;
    }

    public static boolean available() {
        return Files.isExecutable(NGINX) && Files.exists(RTMP_MODULE);
    }

    public static boolean tlsAvailable() {
        return available() && Files.exists(STREAM_MODULE) && Files.isExecutable(OPENSSL);
    }

    /** Plain RTMP only. */
    public static RtmpServer start(Path dir) throws IOException, InterruptedException {
        return start(dir, false);
    }

    /**
     * With {@code tls}, also RTMPS: nginx's stream module terminates TLS (a certificate for localhost made here) in
     * front of the RTMP port, as RTMPS ingest servers commonly do.
     */
    public static RtmpServer start(Path dir, boolean tls) throws IOException, InterruptedException {
        int port = LiveEncoder.freePort();
        int tlsPort = tls ? LiveEncoder.freePort() : -1;
        String tlsConf = "";
        TestCertificate certificate = null;
        if (tls) {
            certificate = TestCertificate.forLocalhost(dir);
            tlsConf = "load_module " + STREAM_MODULE + ";\n";
        }
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
                tlsConf + "load_module " + RTMP_MODULE + ";",
                "daemon off;",
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "rtmp { server { listen 127.0.0.1:" + port + "; application live { live on; record off; } } }",
                tls ? "stream { server { listen 127.0.0.1:" + tlsPort + " ssl; ssl_certificate "
                        + certificate.certPem() + "; ssl_certificate_key " + certificate.keyPem()
                        + "; proxy_pass 127.0.0.1:" + port + "; } }" : "",
                ""));
        Process nginx = new ProcessBuilder(List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
                .start();
        try {
            LiveEncoder.awaitListening(port, Duration.ofSeconds(10));
            if (tls) {
                LiveEncoder.awaitListening(tlsPort, Duration.ofSeconds(10));
            }
        } catch (IOException e) {
            nginx.destroyForcibly();
            throw new IOException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")), e);
        }
        return new RtmpServer(nginx, port, tlsPort, certificate);
    }

    /** {@code rtmp://localhost:PORT/live}: the application URL a vendor is given; the key is the stream name. */
    public String applicationUrl() {
        return "rtmp://localhost:" + port + "/live";
    }

    /** {@code rtmps://localhost:TLSPORT/live}, served with {@link #certificate()}. */
    public String tlsApplicationUrl() {
        return "rtmps://localhost:" + tlsPort + "/live";
    }

    /** The certificate (for localhost) of the RTMPS port. */
    public TestCertificate certificate() {
        return certificate;
    }

    @Override
    public void close() throws InterruptedException {
        nginx.destroy();
        if (!nginx.waitFor(5, TimeUnit.SECONDS)) {
            nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
