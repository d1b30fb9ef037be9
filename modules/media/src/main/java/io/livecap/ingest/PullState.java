package io.livecap.ingest;

import java.util.Locale;

/**
 * Where a pull stands. {@code LIVE} means audio is arriving (a pull that never produced audio is never live);
 * {@code RETRYING} waits for the next attempt after an error; {@code FAILED} gave up (a permanent error - unknown
 * host, 404, 401/403, a TLS failure - too many times in a row, or no audio for too long); {@code ENDED} was
 * stopped (by an operator, the end of a REACH slot, shutdown).
 */
public enum PullState {
    CONNECTING, LIVE, RETRYING, FAILED, ENDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == FAILED || this == ENDED;
    }
}
