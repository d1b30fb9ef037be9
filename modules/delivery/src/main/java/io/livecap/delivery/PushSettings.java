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
 * @param endsWithStream the stream's end ends the push (eos, then disconnect); when false only
 *                       {@link KalturaCaptionPusher#stop} or the cut-off does, so a source that fails and is
 *                       reopened on the same feed inside the slot costs Kaltura no early eos
 */
public record PushSettings(TokenPlacement tokenPlacement, Cutoff cutoff, Backoff backoff, Duration pingInterval,
                           Duration pongTimeout, Duration connectTimeout, boolean endsWithStream) {

    /** Reconnects from 0.5 s doubling to 10 s; a silent connection is found dead within 15 s; ends with the stream. */
    public static final PushSettings DEFAULT = new PushSettings(TokenPlacement.BEARER_HEADER, Cutoff.NONE,
            Backoff.DEFAULT, Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(10), true);

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
        return new PushSettings(tokenPlacement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout,
                endsWithStream);
    }

    /** Only {@link KalturaCaptionPusher#stop} or the cut-off ends the push, not the stream's end. */
    public PushSettings untilStopped() {
        return new PushSettings(tokenPlacement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout, false);
    }

    public PushSettings withTokenPlacement(TokenPlacement placement) {
        return new PushSettings(placement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout,
                endsWithStream);
    }

    public PushSettings withTiming(Backoff backoff, Duration pingInterval, Duration pongTimeout,
                                   Duration connectTimeout) {
        return new PushSettings(tokenPlacement, cutoff, backoff, pingInterval, pongTimeout, connectTimeout,
                endsWithStream);
    }
}
