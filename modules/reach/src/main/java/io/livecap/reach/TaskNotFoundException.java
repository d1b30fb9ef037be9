package io.livecap.reach;

import java.util.Map;

/** {@code ENTRY_VENDOR_TASK_NOT_FOUND}: the task is gone, which for a Live task means the customer cancelled it. */
public final class TaskNotFoundException extends ReachApiException {

    public static final String CODE = "ENTRY_VENDOR_TASK_NOT_FOUND";

    TaskNotFoundException(String message, Map<String, String> args, String region, String call, Long taskId) {
        super(CODE, message, args, region, call, taskId);
    }
}
