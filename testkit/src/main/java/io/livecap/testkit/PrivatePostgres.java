package io.livecap.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL of one test's own, on a free port with its own data directory, run by .ci/postgres-start (as the
 * postgres user when root) and pg_ctl: a test that stops it to play an outage disturbs no other test. Needs the
 * repository root as working directory (as every test has). {@link #remove} stops it and deletes its data.
 */
public final class PrivatePostgres {

    private final int port;
    private final String data;
    private final String bin;

    private PrivatePostgres(int port) throws IOException, InterruptedException {
        this.port = port;
        this.data = "/tmp/livecap-pg-restart-" + port;
        this.bin = run(List.of("bash", "-c", "ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1")).strip();
    }

    /** One on a free port, not started yet. */
    public static PrivatePostgres onFreePort() throws IOException, InterruptedException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        return new PrivatePostgres(port);
    }

    /** Starts it (the first time: creates it) and returns its JDBC URL. */
    public String start() throws IOException, InterruptedException {
        String out = run(List.of("env", "PG_PORT=" + port, "PG_DATA=" + data, "bash", ".ci/postgres-start"));
        String[] lines = out.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    /** Stops it (fast shutdown: open connections are cut, as in a restart), waiting until it is down. */
    public void stop() throws IOException, InterruptedException {
        run(asPostgres(List.of(bin + "/pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop")));
    }

    /** Stops it and deletes its data directory. */
    public void remove() throws IOException, InterruptedException {
        try {
            stop();
        } finally {
            run(List.of("rm", "-rf", data, data + ".initdb.log"));
        }
    }

    private static List<String> asPostgres(List<String> command) {
        if (!"root".equals(System.getProperty("user.name"))) {
            return command;
        }
        List<String> as = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        as.addAll(command);
        return as;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(90, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(command + " failed: " + err);
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
