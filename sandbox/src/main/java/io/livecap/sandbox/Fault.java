package io.livecap.sandbox;

import java.time.Duration;
import java.util.Objects;

/**
 * A period during which every API call fails the way real infrastructure fails.
 * {@link Kind#HTTP_500}: answered with HTTP 500 and not carried out.
 * {@link Kind#STALL}: carried out, then its answer held back for {@code hold} (a client's timeout fires first), as
 * when a load balancer gives up on a slow backend: the effect happened but the client never heard.
 */
public record Fault(Kind kind, Duration length, Duration hold) {

    public enum Kind {
        HTTP_500,
        STALL
    }

    public Fault {
        Objects.requireNonNull(kind, "kind");
        if (length.isNegative() || length.isZero() || hold.isNegative()) {
            throw new IllegalArgumentException("a fault needs a positive length and a non-negative hold");
        }
    }

    public static Fault http500(Duration length) {
        return new Fault(Kind.HTTP_500, length, Duration.ZERO);
    }

    public static Fault stall(Duration length, Duration hold) {
        return new Fault(Kind.STALL, length, hold);
    }
}
