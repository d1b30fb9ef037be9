package io.livecap.reach;

/**
 * A call that is not safe to repeat failed in a way that may have followed its effect (HTTP 5xx, a timeout, a
 * connection lost mid-answer): it may or may not have happened, and it was not tried again.
 */
public final class ReachUncertainException extends ReachUnavailableException {

    public ReachUncertainException(String message, String region, Long taskId, Throwable cause) {
        super(message, region, taskId, cause);
    }
}
