package io.livecap.ingest;

import java.time.Duration;

/** Waits between reconnect attempts: {@code first}, doubling, never more than {@code max}. */
public record Backoff(Duration first, Duration max) {

    /** Half a second, doubling to 10 s: a restarting encoder is back within a second; a dead one is not hammered. */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(10));

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff must grow from a positive first delay: " + first + ", " + max);
        }
    }

    /** The wait before attempt {@code attempt} (1 = the first reconnect). */
    public Duration delay(int attempt) {
        int doublings = Math.min(Math.max(attempt - 1, 0), 30);
        Duration delay = first.multipliedBy(1L << doublings);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
