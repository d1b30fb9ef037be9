package io.livecap.lifecycle;

/**
 * Where livecap is with a Live task. REACH's own status follows: PENDING -> SCHEDULED at once; PROCESSING (with
 * the caption session) from {@code startDate}; DELIVERING is still PROCESSING in REACH (captions cut off at
 * {@code endDate}, transcript on its way); then READY or ERROR. OPEN (session open, REACH still SCHEDULED) is only
 * found in rows saved by versions that opened the session before PROCESSING; such a task goes PROCESSING next.
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
