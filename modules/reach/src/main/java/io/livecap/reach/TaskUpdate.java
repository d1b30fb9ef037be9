package io.livecap.reach;

/**
 * The fields of an {@code updateJob}: only those set are sent (Kaltura updates only the properties present).
 * Build it from the new status: {@code TaskUpdate.to(TaskStatus.READY).accuracy(91).outputObjectId(assetId)}.
 */
public record TaskUpdate(TaskStatus status, String errDescription, Integer accuracy, String outputObjectId,
                         String externalTaskId) {

    public TaskUpdate {
        if (accuracy != null && (accuracy < 0 || accuracy > 100)) {
            throw new IllegalArgumentException("accuracy must be 0-100, got " + accuracy);
        }
    }

    public static TaskUpdate to(TaskStatus status) {
        return new TaskUpdate(status, null, null, null, null);
    }

    /** An update that changes no status, e.g. to set {@code externalTaskId} alone. */
    public static TaskUpdate fields() {
        return new TaskUpdate(null, null, null, null, null);
    }

    public TaskUpdate errDescription(String description) {
        return new TaskUpdate(status, description, accuracy, outputObjectId, externalTaskId);
    }

    /** {@code null}: no figure (nothing was recognised), and none is sent. */
    public TaskUpdate accuracy(Integer percent) {
        return new TaskUpdate(status, errDescription, percent, outputObjectId, externalTaskId);
    }

    public TaskUpdate outputObjectId(String id) {
        return new TaskUpdate(status, errDescription, accuracy, id, externalTaskId);
    }

    public TaskUpdate externalTaskId(String id) {
        return new TaskUpdate(status, errDescription, accuracy, outputObjectId, id);
    }
}
