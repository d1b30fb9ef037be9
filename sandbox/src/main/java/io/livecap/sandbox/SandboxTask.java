package io.livecap.sandbox;

import io.livecap.reach.Secret;
import io.livecap.reach.TaskStatus;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One REACH task on the fake server, with what it went through. Guarded by its region's lock. */
final class SandboxTask {

    /** A status the task took, when, and who set it ({@code partner}, {@code vendor}). */
    record Change(String status, Instant at, String by, String note) {
    }

    /** Something the vendor did that the report points out. */
    record Note(Instant at, String text) {
    }

    /** Every updateJob carried out, repeats included; {@code answered} is false when its answer was lost. */
    record UpdateCall(Instant at, String status, boolean answered) {
    }

    final long id;
    final String entryId;
    final long catalogItemId;
    final SandboxEvent event;
    final Instant createdAt;
    final CaptionLog captions = new CaptionLog();
    final List<Change> history = new ArrayList<>();
    final List<UpdateCall> updateCalls = new ArrayList<>();
    /** A machine VOD caption task: another vendor workflow's, not a Live task (no event, no schedule). */
    final boolean foreign;
    /** Calls the real server refuses. */
    final List<Note> violations = new ArrayList<>();
    /** Calls the real server accepts but the vendor FAQ's Live lifecycle does not expect. */
    final List<Note> warnings = new ArrayList<>();

    TaskStatus status = TaskStatus.PENDING;
    Instant updatedAt;
    Instant finishTime;
    Secret accessKey;
    Integer accuracy;
    String outputObjectId;
    String errDescription;
    String externalTaskId;
    boolean cancelled;
    /** A fault: the captionUrl closes every caption connection with 1008, as for a wrong token. */
    boolean refuseCaptions;
    int captionsRefused;
    int failExtends;
    private boolean warnedCaptionsOutsideProcessing;

    SandboxTask(long id, String entryId, long catalogItemId, SandboxEvent event, Instant createdAt) {
        this.foreign = event == null;
        this.id = id;
        this.entryId = entryId;
        this.catalogItemId = catalogItemId;
        this.event = event;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
        history.add(new Change(TaskStatus.PENDING.name(), createdAt, "partner", "ordered"));
    }

    Instant startDate() {
        return event.taskStart;
    }

    Instant endDate() {
        return event.taskEnd;
    }

    void violation(Instant at, String text) {
        violations.add(new Note(at, text));
    }

    void warning(Instant at, String text) {
        warnings.add(new Note(at, text));
    }

    /**
     * Captions pushed outside PROCESSING: said once, not per message. A caption of audio outside the ordered slot
     * (judged by its {@code start_epoch}, as livecap's cut-off is: {@link io.livecap.reach.OrderedSlot}; by its
     * arrival when it has none) is not what the customer ordered.
     */
    void captionArrived(Instant at, Instant audioAt) {
        if (status != TaskStatus.PROCESSING && !warnedCaptionsOutsideProcessing) {
            warnedCaptionsOutsideProcessing = true;
            warning(at, "captions pushed while the task is " + status + " (the FAQ: PROCESSING while captioning)");
        }
        Instant judged = audioAt != null ? audioAt : at;
        if (!judged.isBefore(endDate())) {
            warning(at, "caption pushed after the ordered slot ended at " + endDate() + " (its audio at "
                    + judged + ")");
        }
    }
}
