package io.livecap.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay between a client and a websocket server, to break the connection the ways networks do: cut it, refuse
 * new ones for a while, or let it stay up while bytes in one direction silently vanish.
 */
public final class TcpRelay implements AutoCloseable {

    /** One relayed connection. */
    private static final class Pipe {
        final Socket client;
        final Socket server;
        volatile boolean swallowUpstream;
        volatile boolean swallowDownstream;

        Pipe(Socket client, Socket server) {
            this.client = client;
            this.server = server;
        }

        void close() {
            quietly(client);
            quietly(server);
        }
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();
    private volatile boolean refusing;
    private int relayed;
    private int refused;

    private TcpRelay(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        Thread accept = new Thread(this::acceptLoop, "relay-accept");
        accept.setDaemon(true);
        accept.start();
    }

    /** A relay to the host and port of {@code url}. */
    public static TcpRelay to(URI url) throws IOException {
        return new TcpRelay(new InetSocketAddress(url.getHost(), url.getPort()));
    }

    /** {@code url} with its host and port replaced by the relay's. */
    public URI via(URI url) {
        return URI.create(url.getScheme() + "://127.0.0.1:" + listener.getLocalPort() + url.getRawPath()
                + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()));
    }

    /** Cuts every connection now (both ends see it closed) and closes new ones at once until {@link #up()}. */
    public void down() {
        refusing = true;
        pipes.forEach(Pipe::close);
        pipes.clear();
    }

    public void up() {
        refusing = false;
    }

    /** From now on the bytes the client sends on the current connections go nowhere; the connections stay up. */
    public void swallowUpstream() {
        pipes.forEach(pipe -> pipe.swallowUpstream = true);
    }

    /** From now on the bytes the server sends on the current connections go nowhere (pongs included). */
    public void swallowDownstream() {
        pipes.forEach(pipe -> pipe.swallowDownstream = true);
    }

    public synchronized boolean awaitRelayed(int count, Duration timeout) throws InterruptedException {
        return await(() -> relayed >= count, timeout);
    }

    public synchronized boolean awaitRefused(int count, Duration timeout) throws InterruptedException {
        return await(() -> refused >= count, timeout);
    }

    private synchronized boolean await(java.util.function.BooleanSupplier done, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return true;
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (refusing) {
                quietly(client);
                count(true);
                continue;
            }
            try {
                Socket server = new Socket(target.getAddress(), target.getPort());
                Pipe pipe = new Pipe(client, server);
                pipes.add(pipe);
                pump(pipe, client, server, true);
                pump(pipe, server, client, false);
                count(false);
            } catch (IOException e) {
                quietly(client);
            }
        }
    }

    private synchronized void count(boolean wasRefused) {
        if (wasRefused) {
            refused++;
        } else {
            relayed++;
        }
        notifyAll();
    }

    private void pump(Pipe pipe, Socket from, Socket to, boolean upstream) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (!(upstream ? pipe.swallowUpstream : pipe.swallowDownstream)) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                pipe.close();
                pipes.remove(pipe);
            }
        }, upstream ? "relay-up" : "relay-down");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        quietly(listener);
        pipes.forEach(Pipe::close);
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
