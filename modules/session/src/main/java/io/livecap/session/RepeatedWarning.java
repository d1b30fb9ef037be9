package io.livecap.session;

import java.time.Duration;

/**
 * One kind of warning that a source can trigger on every chunk (pts jumping about): let through at most one per
 * interval, and say how many were left out since the last one, so a broken encoder costs a line a second, not one
 * per chunk.
 */
public final class RepeatedWarning {

    private final long intervalMs;
    private long lastMs;
    private boolean any;
    private long leftOut;
    private long total;

    public RepeatedWarning(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    /** -1 if this occurrence is to be left out, else how many were left out before it (then counting restarts). */
    public synchronized long admit(long nowMs) {
        total++;
        if (any && nowMs - lastMs < intervalMs) {
            leftOut++;
            return -1;
        }
        any = true;
        lastMs = nowMs;
        long before = leftOut;
        leftOut = 0;
        return before;
    }

    /** How many were left out since the last one let through (for a summary when the source ends). */
    public synchronized long leftOut() {
        return leftOut;
    }

    /** How many occurred in all, let through or not. */
    public synchronized long total() {
        return total;
    }
}
