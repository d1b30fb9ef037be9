package io.livecap.reach;

/** The server answered something API v3 does not answer (not JSON, an unexpected HTTP status, a missing field). */
public final class ReachProtocolException extends ReachException {

    public ReachProtocolException(String message, String region, Long taskId, Throwable cause) {
        super(message, region, taskId, cause);
    }
}
