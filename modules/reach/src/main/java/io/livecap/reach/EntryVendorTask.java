package io.livecap.reach;

import java.time.Instant;
import java.util.Optional;

/**
 * A REACH task ({@code KalturaEntryVendorTask}) as one region's server returned it. Fields Kaltura left out are
 * {@code null}. {@code taskJobData} is set for Live tasks only; other job data kinds are not read.
 *
 * @param accuracy        0-100, the vendor's own figure once the task is done
 * @param turnAroundTime  Kaltura's code: -1 best effort, 0 immediate, 1-7 business days, else seconds
 * @param creationMode    1 manual, 2 automatic
 */
public record EntryVendorTask(
        TaskKey key,
        long partnerId,
        long vendorPartnerId,
        String entryId,
        TaskStatus status,
        long catalogItemId,
        Long reachProfileId,
        ServiceType serviceType,
        ServiceFeature serviceFeature,
        Integer turnAroundTime,
        Secret accessKey,
        ScheduledVendorTaskData taskJobData,
        Instant createdAt,
        Instant updatedAt,
        Instant queueTime,
        Instant finishTime,
        Instant expectedFinishTime,
        Double price,
        String userId,
        String errDescription,
        String version,
        String notes,
        String dictionary,
        String context,
        Integer accuracy,
        String outputObjectId,
        String partnerData,
        Integer creationMode,
        String externalTaskId) {

    public long id() {
        return key.id();
    }

    /** What calls on this task's behalf need; empty if the server sent no access key. */
    public Optional<TaskAccess> access() {
        return accessKey == null ? Optional.empty() : Optional.of(new TaskAccess(key.id(), accessKey));
    }

    public Optional<ScheduledVendorTaskData> schedule() {
        return Optional.ofNullable(taskJobData);
    }

    @Override
    public String toString() {
        return "task " + key + " (" + status + ", " + serviceFeature + ", entry " + entryId + ")";
    }
}
