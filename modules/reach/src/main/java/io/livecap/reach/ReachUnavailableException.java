package io.livecap.reach;

/**
 * The endpoint could not be reached, timed out or kept answering HTTP 5xx until the retry budget ran out. The call
 * may or may not have taken effect on the server.
 */
public class ReachUnavailableException extends ReachException {

    public ReachUnavailableException(String message, String region, Long taskId, Throwable cause) {
        super(message, region, taskId, cause);
    }
}
