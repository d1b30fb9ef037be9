package io.livecap.reach;

import java.util.Locale;
import java.util.Map;

/**
 * The task's access key has expired (the FAQ's "Expired access key"); while the task is PROCESSING,
 * {@code extendAccessKey} gives it a new one.
 * <p>
 * Kaltura's API v3 has no dedicated code for this: an expired KS fails session validation, which the front
 * controller reports as {@code INVALID_KS} with the validation result {@code EXPIRED} as the first argument
 * ({@code Invalid KS "EXPIRED", Error "-1,INVALID_STR"}); older paths put {@code EXPIRED} in {@code ERR_DESC}.
 */
public final class ExpiredAccessKeyException extends ReachApiException {

    public static final String CODE = "INVALID_KS";

    ExpiredAccessKeyException(String code, String message, Map<String, String> args, String region, String call,
                              Long taskId) {
        super(code, message, args, region, call, taskId);
    }

    static boolean matches(String code, String message, Map<String, String> args) {
        if (!CODE.equals(code)) {
            return "EXPIRED_KS".equals(code) || "KS_EXPIRED".equals(code);
        }
        if ("EXPIRED".equals(args.get("KSID")) || "EXPIRED".equals(args.get("ERR_DESC"))) {
            return true;
        }
        String text = message == null ? "" : message.toLowerCase(Locale.ROOT);
        return text.contains("\"expired\"") || text.contains("expired access key");
    }
}
