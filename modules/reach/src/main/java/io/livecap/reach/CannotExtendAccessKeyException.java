package io.livecap.reach;

import java.util.Map;

/** {@code CANNOT_EXTEND_ACCESS_KEY}: access keys are extended only while the task is PROCESSING. */
public final class CannotExtendAccessKeyException extends ReachApiException {

    public static final String CODE = "CANNOT_EXTEND_ACCESS_KEY";

    CannotExtendAccessKeyException(String message, Map<String, String> args, String region, String call,
                                   Long taskId) {
        super(CODE, message, args, region, call, taskId);
    }
}
