package io.livecap.lifecycle;

/**
 * Where livecap is with a Live task. REACH's own status follows: PENDING -> SCHEDULED at once; OPEN is still
 * SCHEDULED in REACH (the session runs from {@code startDate - startTimeBuffer}); PROCESSING from {@code startDate};
 * DELIVERING is still PROCESSING in REACH (captions cut off, transcript on its way); then READY or ERROR.
 */
public enum LiveTaskState {
    PENDING, SCHEDULED, OPEN, PROCESSING, DELIVERING, READY, ERROR, CANCELLED;

    public boolean isFinal() {
        return this == READY || this == ERROR || this == CANCELLED;
    }

    /** A caption session should be running in these states. */
    public boolean hasSession() {
        return this == OPEN || this == PROCESSING;
    }
}
