package io.livecap.reach;

import java.util.OptionalLong;

/**
 * A REACH call that did not succeed. The message names the region, the call and the task (if the call was about
 * one), and never holds a KS, access key or token.
 */
public class ReachException extends Exception {

    private final String region;
    private final Long taskId;

    public ReachException(String message, String region, Long taskId, Throwable cause) {
        super(message, cause);
        this.region = region;
        this.taskId = taskId;
    }

    /** The region of the endpoint that was called, or {@code null} if unknown. */
    public String region() {
        return region;
    }

    public OptionalLong taskId() {
        return taskId == null ? OptionalLong.empty() : OptionalLong.of(taskId);
    }

    static String where(String region, String call, Long taskId) {
        return "reach " + region + " " + call + (taskId == null ? "" : " task " + taskId);
    }
}
