package io.livecap.reach;

/** Kaltura's {@code EntryVendorTaskStatus}. */
public enum TaskStatus {
    PENDING(1),
    READY(2),
    PROCESSING(3),
    PENDING_MODERATION(4),
    REJECTED(5),
    ERROR(6),
    ABORTED(7),
    PENDING_ENTRY_READY(8),
    SCHEDULED(9);

    private final int code;

    TaskStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /**
     * The statuses the server never lets a task leave: an update to another status answers
     * {@code CANNOT_UPDATE_STATUS_OF_TASK_WHICH_IS_IN_FINAL_STATE}.
     */
    public boolean isFinal() {
        return this == READY || this == REJECTED || this == ERROR || this == ABORTED;
    }

    public static TaskStatus of(int code) {
        for (TaskStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown task status " + code);
    }
}
