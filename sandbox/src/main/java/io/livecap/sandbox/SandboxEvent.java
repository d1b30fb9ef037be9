package io.livecap.sandbox;

import io.livecap.reach.OrderedSlot;
import io.livecap.reach.Secret;

import java.time.Instant;

/**
 * A scheduled live event and its caption feature. {@code start}/{@code end} are the event's; {@code taskStart}/
 * {@code taskEnd} the ordered slot, widened by the catalog item's buffers as Kaltura's server does
 * ({@link OrderedSlot#forEvent}).
 */
final class SandboxEvent {

    final long id;
    final String region;
    final String entryId;
    final Instant start;
    final Instant end;
    final Instant taskStart;
    final Instant taskEnd;
    final Secret mediaKey;
    final Secret captionToken;
    final Instant createdAt;
    SandboxTask task;
    LiveMedia media;

    final OrderedSlot slot;
    /** When the media stops: one endTimeBuffer past the slot, so audio outlasts what was ordered. */
    final Instant mediaEnd;

    SandboxEvent(long id, String region, String entryId, Instant start, Instant end, OrderedSlot slot,
                 Instant createdAt) {
        this.id = id;
        this.region = region;
        this.entryId = entryId;
        this.start = start;
        this.end = end;
        this.slot = slot;
        this.taskStart = slot.startDate();
        this.taskEnd = slot.endDate();
        this.mediaEnd = slot.endDate().plus(slot.endBuffer());
        this.mediaKey = Secret.of(Sandbox.token(24));
        this.captionToken = Secret.of(Sandbox.token(24));
        this.createdAt = createdAt;
    }
}
