package io.livecap.reach;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The time a customer ordered live captions for: the one definition the lifecycle (when to caption, when to cut
 * off) and the sandbox (what it calls too late) both use.
 * <p>
 * The slot is the task's {@code taskJobData.startDate .. endDate}, and the catalog item's buffers are <em>already
 * inside it</em>: Kaltura's server builds a Live task's job data from the scheduled event as
 * {@code startDate = event.startDate - startTimeBuffer}, {@code endDate = event.endDate + endTimeBuffer} (and
 * {@code entryDuration} with both buffers added; {@code VendorLiveCaptionCatalogItem::getTaskJobData}). Adding the
 * buffers again, as livecap once did, captions (and bills) a buffer's length past what was ordered.
 * <p>
 * A caption belongs to the slot when its audio does ({@code start_epoch}, when the audio arrived): words spoken
 * inside the slot are owed even when recognition finishes them a second after its end.
 *
 * @param startDate   {@code taskJobData.startDate}: captions from here
 * @param endDate     {@code taskJobData.endDate}: no caption of audio from here on
 * @param startBuffer the catalog item's {@code startTimeBuffer}, already inside the slot
 * @param endBuffer   the catalog item's {@code endTimeBuffer}, already inside the slot
 */
public record OrderedSlot(Instant startDate, Instant endDate, Duration startBuffer, Duration endBuffer) {

    public OrderedSlot {
        Objects.requireNonNull(startDate, "startDate");
        Objects.requireNonNull(endDate, "endDate");
        startBuffer = startBuffer == null ? Duration.ZERO : startBuffer;
        endBuffer = endBuffer == null ? Duration.ZERO : endBuffer;
        if (endDate.isBefore(startDate)) {
            throw new IllegalArgumentException("the slot ends (" + endDate + ") before it starts (" + startDate + ")");
        }
    }

    /** The slot Kaltura's server makes for an event: the event widened by the catalog item's buffers. */
    public static OrderedSlot forEvent(Instant eventStart, Instant eventEnd, Duration startBuffer, Duration endBuffer) {
        return new OrderedSlot(eventStart.minus(startBuffer), eventEnd.plus(endBuffer), startBuffer, endBuffer);
    }

    /** When captioning starts (and the task turns PROCESSING). */
    public Instant captionsFrom() {
        return startDate;
    }

    /** The cut-off: audio from this instant on is not captioned. */
    public Instant captionsUntil() {
        return endDate;
    }

    /** The live event itself, inside its buffers. */
    public Instant eventStart() {
        return startDate.plus(startBuffer);
    }

    public Instant eventEnd() {
        return endDate.minus(endBuffer);
    }

    /** The customer may cancel (and is refunded) until {@code minimalRefundTime} before the slot starts. */
    public Instant refundDeadline(Duration minimalRefundTime) {
        return startDate.minus(minimalRefundTime == null ? Duration.ZERO : minimalRefundTime);
    }

    /** Whether audio that arrived at {@code audioAt} is part of the order. */
    public boolean covers(Instant audioAt) {
        return !audioAt.isBefore(startDate) && audioAt.isBefore(endDate);
    }

    @Override
    public String toString() {
        return startDate + " - " + endDate;
    }
}
