package io.livecap.reach;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ordered slot: Kaltura's taskJobData, buffers inside it, one definition for livecap and the sandbox. */
class OrderedSlotTest {

    private static final Instant EVENT_START = Instant.parse("2026-12-01T20:00:00Z");
    private static final Instant EVENT_END = Instant.parse("2026-12-01T20:01:14Z");
    private static final Duration BUFFER = Duration.ofSeconds(10);

    @Test
    void kalturasServerWidensTheEventByTheBuffersOnce() {
        OrderedSlot slot = OrderedSlot.forEvent(EVENT_START, EVENT_END, BUFFER, BUFFER);
        assertEquals(Instant.parse("2026-12-01T19:59:50Z"), slot.startDate());
        assertEquals(Instant.parse("2026-12-01T20:01:24Z"), slot.endDate());
        assertEquals(slot.startDate(), slot.captionsFrom());
        assertEquals(slot.endDate(), slot.captionsUntil(), "not 20:01:34: the buffer is not added twice");
        assertEquals(EVENT_START, slot.eventStart());
        assertEquals(EVENT_END, slot.eventEnd());
    }

    @Test
    void audioBelongsToTheSlotFromItsStartUpToButNotIncludingItsEnd() {
        OrderedSlot slot = OrderedSlot.forEvent(EVENT_START, EVENT_END, BUFFER, BUFFER);
        assertFalse(slot.covers(slot.startDate().minusMillis(1)));
        assertTrue(slot.covers(slot.startDate()));
        assertTrue(slot.covers(slot.endDate().minusMillis(1)));
        assertFalse(slot.covers(slot.endDate()));
    }

    @Test
    void theRefundWindowClosesBeforeTheSlotStarts() {
        OrderedSlot slot = OrderedSlot.forEvent(EVENT_START, EVENT_END, BUFFER, BUFFER);
        assertEquals(slot.startDate().minusSeconds(3600), slot.refundDeadline(Duration.ofHours(1)));
        assertEquals(slot.startDate(), slot.refundDeadline(null));
    }

    @Test
    void aSlotThatEndsBeforeItStartsIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new OrderedSlot(EVENT_END, EVENT_START, null, null));
        assertTrue(e.getMessage().contains("before it starts"), e.getMessage());
    }
}
