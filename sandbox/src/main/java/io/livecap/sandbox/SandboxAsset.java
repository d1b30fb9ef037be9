package io.livecap.sandbox;

import io.livecap.captions.SubtitleValidator;
import io.livecap.reach.OutputFormat;

import java.time.Instant;

/** A caption asset the vendor added, and the check of its content. Guarded by its region's lock. */
final class SandboxAsset {

    final String id;
    final String entryId;
    final long addedByTask;
    final Instant createdAt;
    OutputFormat format;
    String rawFormat;
    String language;
    String label;
    Integer accuracy;
    String partnerData;
    String fileExt;
    String content;
    int status;
    /** When a QUEUED asset with content turns {@link #outcome}; null while it has no content. */
    Instant settlesAt;
    int outcome = 2;
    Instant updatedAt;
    SubtitleValidator.Report check;

    SandboxAsset(String id, String entryId, long addedByTask, Instant createdAt) {
        this.id = id;
        this.entryId = entryId;
        this.addedByTask = addedByTask;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** The status at {@code now}: a filled asset's conversion finishes at {@code settlesAt}. */
    int statusAt(Instant now) {
        if (settlesAt != null && status == 0 && !now.isBefore(settlesAt)) {
            status = outcome;
            updatedAt = settlesAt;
        }
        return status;
    }
}
