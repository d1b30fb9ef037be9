package io.livecap.ingest;

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
final class RtmpServer implements AutoCloseable {

    static final Path NGINX = Path.of("/usr/sbin/nginx");
    static final Path RTMP_MODULE = Path.of("/usr/lib/nginx/modules/ngx_rtmp_module.so");
    static final String MISSING = "skipped: RTMP tests need nginx with its RTMP module: "
            + "apt-get install nginx-light libnginx-mod-rtmp";

    private final Process nginx;
    private final int port;

    private RtmpServer(Process nginx, int port) {
        this.nginx = nginx;
        this.port = port;
    }

    static boolean available() {
        return Files.isExecutable(NGINX) && Files.exists(RTMP_MODULE);
    }

    static RtmpServer start(Path dir) throws IOException, InterruptedException {
        int port = LiveEncoder.freePort();
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, String.join("\n",
                "load_module " + RTMP_MODULE + ";",
                "daemon off;",
                "master_process off;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("error.log") + " info;",
                "events { worker_connections 64; }",
                "rtmp { server { listen 127.0.0.1:" + port + "; application live { live on; record off; } } }",
                ""));
        Process nginx = new ProcessBuilder(List.of(NGINX.toString(), "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString()))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("nginx.out").toFile()))
                .start();
        try {
            LiveEncoder.awaitListening(port, Duration.ofSeconds(10));
        } catch (IOException e) {
            nginx.destroyForcibly();
            throw new IOException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")), e);
        }
        return new RtmpServer(nginx, port);
    }

    /** {@code rtmp://127.0.0.1:PORT/live}: the application URL a vendor is given; the key is the stream name. */
    String applicationUrl() {
        return "rtmp://127.0.0.1:" + port + "/live";
    }

    @Override
    public void close() throws InterruptedException {
        nginx.destroy();
        if (!nginx.waitFor(5, TimeUnit.SECONDS)) {
            nginx.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}
