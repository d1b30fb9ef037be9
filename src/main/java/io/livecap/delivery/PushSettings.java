package io.livecap.delivery;

import io.livecap.ingest.Backoff;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link KalturaCaptionPusher} connects and checks its connection.
 *
 * @param pingInterval how often an idle connection is pinged (a final is pinged at once)
 * @param pongTimeout  a ping unanswered this long means the connection is dead: it is dropped and made again
 * @param connectTimeout for the TCP connect; the websocket handshake gets twice as long
 */
public record PushSettings(TokenPlacement tokenPlacement, Cutoff cutoff, Backoff backoff, Duration pingInterval,
                           Duration pongTimeout, Duration connectTimeout) {

    /** Reconnects from 0.5 s doubling to 10 s; a silent connection is found dead within 15 s. */
    public static final PushSettings DEFAULT = new PushSettings(TokenPlacement.BEARER_HEADER, Cutoff.NONE,
            Backoff.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10));

    public PushSettings {
        Objects.requireNonNull(tokenPlacement, "tokenPlacement");
        Objects.requireNonNull(cutoff, "cutoff");
        Objects.requireNonNull(backoff, "backoff");
        if (pingInterval.isNegative() || pingInterval.isZero() || pongTimeout.compareTo(pingInterval) < 0
                || connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("need pingInterval > 0, pongTimeout >= pingInterval and"
                    + " connectTimeout > 0: " + pingInterval + ", " + pongTimeout + ", " + connectTimeout);
        }
    }

    public PushSettings withCutoff(Cutoff cutoff) {
        return new PushSettings(tokenPlacement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout);
    }

    public PushSettings withTokenPlacement(TokenPlacement placement) {
        return new PushSettings(placement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout);
    }

    public PushSettings withTiming(Backoff backoff, Duration pingInterval, Duration pongTimeout,
                                   Duration connectTimeout) {
        return new PushSettings(tokenPlacement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout);
    }
}
