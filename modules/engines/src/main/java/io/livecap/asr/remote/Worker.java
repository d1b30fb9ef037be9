package io.livecap.asr.remote;

import java.net.URI;

/**
 * One endpoint of the pool, as its probes and this node's streams see it. Thread-safe: probes, streams opening and
 * streams failing over all update it.
 */
final class Worker {

    private final URI uri;
    private boolean up = true; // until a probe or a stream says otherwise
    private String reason = "not probed yet";
    private int capacity = -1; // -1 unknown (alphacep's vosk-server announces none); 0 no cap
    private int reportedOpen = -1; // as the worker said at the last probe, plus ours opened since
    private int ours; // this node's streams on it now

    Worker(URI uri) {
        this.uri = uri;
    }

    URI uri() {
        return uri;
    }

    /** Where its load is read: /healthz on the websocket's host and port (http, or https for wss). */
    URI healthUri() {
        String scheme = uri.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
        int port = uri.getPort();
        return URI.create(scheme + "://" + uri.getHost() + (port < 0 ? "" : ":" + port) + "/healthz");
    }

    synchronized boolean up() {
        return up;
    }

    synchronized boolean full() {
        return capacity > 0 && open() >= capacity;
    }

    /** Sessions open on it as best known: the worker's own count when it announces one, else ours. */
    synchronized int open() {
        return Math.max(reportedOpen, ours);
    }

    synchronized int capacity() {
        return capacity;
    }

    synchronized int ours() {
        return ours;
    }

    /** 0 idle .. 1 full; a worker without a known capacity counts its sessions against 64. */
    synchronized double load() {
        return open() / (double) (capacity > 0 ? capacity : 64);
    }

    synchronized void probed(int capacity, int open) {
        this.up = true;
        this.reason = capacity >= 0 ? "up" : "up (announces no capacity)";
        this.capacity = capacity;
        this.reportedOpen = open;
    }

    synchronized void down(String why) {
        up = false;
        reason = why;
    }

    /** A worker that refused a session because it is at its cap (livecap: server_busy, close 1013). */
    synchronized void refusedAsFull() {
        if (capacity <= 0) {
            capacity = Math.max(1, open());
        }
        reportedOpen = Math.max(reportedOpen, capacity);
        reason = "full";
    }

    synchronized void taken() {
        ours++;
        if (reportedOpen >= 0) {
            reportedOpen++; // until the next probe corrects it: streams opened together must not all pick one
        }
    }

    synchronized void given() {
        ours = Math.max(0, ours - 1);
        if (reportedOpen > 0) {
            reportedOpen--;
        }
    }

    @Override
    public synchronized String toString() {
        if (!up) {
            return uri + " down (" + reason + ")";
        }
        return uri + (full() ? " full" : " up") + " (" + open() + (capacity > 0 ? " of " + capacity : "")
                + " sessions" + (capacity < 0 ? ", no capacity announced" : "") + ")";
    }
}
