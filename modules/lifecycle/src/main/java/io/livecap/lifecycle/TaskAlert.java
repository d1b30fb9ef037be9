package io.livecap.lifecycle;

import java.util.Locale;

/** An alert about a Live task: a log line, {@code livecap_reach_alerts_total{kind}} and an audit record each. */
public enum TaskAlert {
    /** Half the time from the start to the expected finish has passed and the task is not done (FAQ contingency). */
    HALF("half"),
    /** The expected finish has passed and the task is not done. */
    STUCK("stuck"),
    /** Not a turn-around alert: the delivered caption asset turned ERROR or never became READY. */
    ASSET("asset"),
    /** The task's media pull gave up. */
    MEDIA_FAILED("media_failed");

    private final String wireName;

    TaskAlert(String wireName) {
        this.wireName = wireName;
    }

    /** As stored, counted and audited ({@code alert_<name>}). */
    public String wireName() {
        return wireName;
    }

    public static TaskAlert of(String wireName) {
        for (TaskAlert alert : values()) {
            if (alert.wireName.equals(wireName)) {
                return alert;
            }
        }
        throw new IllegalArgumentException("unknown task alert " + wireName.toLowerCase(Locale.ROOT));
    }
}
