package io.livecap.asr.remote;

import io.livecap.asr.WorkerPoolView;

import java.net.URI;

/**
 * One worker of the pool, as its probes and this node's streams see it: an endpoint with a literal address, or one
 * of the addresses its name resolved to (a Kubernetes headless Service has one per pod). Thread-safe: probes,
 * streams opening and streams failing over all update it.
 */
final class Worker {

    private final URI endpoint; // as configured
    private final URI uri; // where its websocket is opened: the endpoint with its host replaced by the address
    private final String address;
    private boolean gone; // its name no longer resolves to its address: picked by no stream, dropped once unused
    private boolean up = true; // until a probe or a stream says otherwise
    private String reason = "not probed yet";
    private int capacity = -1; // -1 unknown (alphacep's vosk-server announces none); 0 no cap
    private int reportedOpen = -1; // as the worker said at the last probe, plus ours opened since
    private int ours; // this node's streams on it now

    /** A worker at the endpoint's own (literal) host. */
    Worker(URI uri) {
        this(uri, uri, uri.getHost());
    }

    Worker(URI endpoint, URI uri, String address) {
        this.endpoint = endpoint;
        this.uri = uri;
        this.address = address;
    }

    URI uri() {
        return uri;
    }

    URI endpoint() {
        return endpoint;
    }

    String address() {
        return address;
    }

    /** Its endpoint, and the address when that is not the endpoint's own host: for logs and metrics. */
    String label() {
        return endpoint.equals(uri) ? endpoint.toString() : endpoint + " at " + address;
    }

    /** Where its load is read: /healthz on the websocket's host and port (http, or https for wss). */
    URI healthUri() {
        String scheme = uri.getScheme().equalsIgnoreCase("wss") ? "https" : "http";
        int port = uri.getPort();
        return URI.create(scheme + "://" + uri.getHost() + (port < 0 ? "" : ":" + port) + "/healthz");
    }

    synchronized boolean up() {
        return up && !gone;
    }

    synchronized boolean gone() {
        return gone;
    }

    /** Its name stopped resolving to its address (the pod went away), or does again ({@code false}). */
    synchronized void gone(boolean gone) {
        if (gone && !this.gone) {
            reason = "its address is no longer among the name's";
        }
        this.gone = gone;
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

    synchronized WorkerPoolView.WorkerState state() {
        return new WorkerPoolView.WorkerState(endpoint.toString(), address, up(), up() && full() ? "full" : reason,
                open(), capacity, ours, load());
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
        if (!up()) {
            return label() + " down (" + reason + ")";
        }
        return label() + (full() ? " full" : " up") + " (" + open() + (capacity > 0 ? " of " + capacity : "")
                + " sessions" + (capacity < 0 ? ", no capacity announced" : "") + ")";
    }
}
