package io.livecap.reach;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How hard a call tries: transport failures, timeouts and HTTP 5xx are retried with exponential backoff and jitter,
 * within {@code maxAttempts} and {@code totalTime}; API errors are answers and are never retried.
 *
 * @param requestTimeout the limit for one attempt's answer
 * @param totalTime      the limit for the whole call, retries and waits included
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration requestTimeout,
                          Duration connectTimeout, Duration totalTime) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("need 0 <= initialBackoff <= maxBackoff");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero() || connectTimeout.isNegative()
                || connectTimeout.isZero() || totalTime.isNegative() || totalTime.isZero()) {
            throw new IllegalArgumentException("timeouts must be positive");
        }
    }

    /** 6 attempts, 0.25 s doubling up to 8 s, 30 s per attempt, 60 s in all. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(6, Duration.ofMillis(250), Duration.ofSeconds(8), Duration.ofSeconds(30),
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    /** A single attempt: for callers that do their own retrying. */
    public static RetryPolicy once(Duration requestTimeout) {
        return new RetryPolicy(1, Duration.ZERO, Duration.ZERO, requestTimeout, requestTimeout, requestTimeout);
    }

    /**
     * The wait after failed attempt {@code attempt} (1-based): the exponential step, of which a random half is
     * kept, so that many tasks failing together do not retry in lockstep.
     */
    public Duration backoff(int attempt) {
        long initial = initialBackoff.toMillis();
        long step = initial << Math.min(attempt - 1, 30);
        long capped = step < initial ? maxBackoff.toMillis() : Math.min(step, maxBackoff.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(capped - half + 1));
    }
}
