package io.livecap.server;

import java.util.concurrent.atomic.AtomicInteger;

/** At most {@code max} connections of one kind at once (0 = no cap): a slot is taken on open, given back on close. */
final class ConnectionCap {

    private final String what;
    private final int max;
    private final AtomicInteger open = new AtomicInteger();

    ConnectionCap(String what, int max) {
        this.what = what;
        this.max = max;
    }

    /** Takes a slot; false when all are taken (the caller answers server_busy). */
    boolean tryTake() {
        while (true) {
            int now = open.get();
            if (max > 0 && now >= max) {
                return false;
            }
            if (open.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    void release() {
        open.decrementAndGet();
    }

    int open() {
        return open.get();
    }

    String busyMessage() {
        return "this server already has " + max + " " + what + " (its limit); try again later";
    }
}
