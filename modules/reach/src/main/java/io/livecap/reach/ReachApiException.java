package io.livecap.reach;

import java.util.Map;

/**
 * The server answered with an API error ({@code KalturaAPIException}, delivered with HTTP 200): a real answer, so it
 * is never retried. The typed subclasses are the errors the lifecycle acts on.
 */
public class ReachApiException extends ReachException {

    private final String code;
    private final String serverMessage;
    private final Map<String, String> args;

    public ReachApiException(String code, String message) {
        this(code, message, Map.of(), null, null, null);
    }

    public ReachApiException(String code, String serverMessage, Map<String, String> args, String region,
                             String call, Long taskId) {
        super((call == null ? "reach" : where(region, call, taskId)) + ": " + code + ": " + serverMessage,
                region, taskId, null);
        this.code = code;
        this.serverMessage = serverMessage;
        this.args = Map.copyOf(args);
    }

    /** Kaltura's error code, e.g. {@code ENTRY_VENDOR_TASK_NOT_FOUND}. */
    public String code() {
        return code;
    }

    /** The server's message, with any credential it echoed removed. */
    public String serverMessage() {
        return serverMessage;
    }

    /** The error's named arguments (e.g. {@code ID}), with any credential removed. */
    public Map<String, String> args() {
        return args;
    }

    /** The right exception type for an API error. */
    static ReachApiException of(String code, String message, Map<String, String> args, String region, String call,
                                Long taskId, boolean usedAccessKey) {
        return switch (code) {
            case TaskNotFoundException.CODE -> new TaskNotFoundException(message, args, region, call, taskId);
            case CannotExtendAccessKeyException.CODE ->
                    new CannotExtendAccessKeyException(message, args, region, call, taskId);
            case FailedExtendAccessKeyException.CODE ->
                    new FailedExtendAccessKeyException(message, args, region, call, taskId);
            default -> usedAccessKey && ExpiredAccessKeyException.matches(code, message, args)
                    ? new ExpiredAccessKeyException(code, message, args, region, call, taskId)
                    : new ReachApiException(code, message, args, region, call, taskId);
        };
    }
}
