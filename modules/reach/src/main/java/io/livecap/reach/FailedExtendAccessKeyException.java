package io.livecap.reach;

import java.util.Map;

/** {@code FAILED_EXTEND_ACCESS_KEY}: the server could not mint a new access key. */
public final class FailedExtendAccessKeyException extends ReachApiException {

    public static final String CODE = "FAILED_EXTEND_ACCESS_KEY";

    FailedExtendAccessKeyException(String message, Map<String, String> args, String region, String call,
                                   Long taskId) {
        super(CODE, message, args, region, call, taskId);
    }
}
