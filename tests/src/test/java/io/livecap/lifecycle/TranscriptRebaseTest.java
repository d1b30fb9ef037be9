package io.livecap.lifecycle;

import io.livecap.captions.Caption;
import io.livecap.captions.CaptionWord;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where a task's finals land in its asset: where their audio arrived, never overlapping the final before. */
class TranscriptRebaseTest {

    private static final Instant SLOT_START = Instant.parse("2026-12-02T10:00:00Z");

    private static Caption fin(long seq, long session, long startMs, long endMs, long arrivedAfterSlotStartMs) {
        long epoch = SLOT_START.toEpochMilli() + arrivedAfterSlotStartMs;
        return new Caption("s", seq, true, seq, "w" + seq, List.of("w" + seq), startMs, endMs, epoch, 0,
                List.of(new CaptionWord("w" + seq, startMs, endMs, 1.0)), "en-US", session);
    }

    @Test
    void finalsWhoseAudioWasReadLateKeepTheirStreamTimesApart() {
        // the three finals' audio was read late and in a burst (a loaded decoder catching up): their arrival epochs
        // bunch, and placed by those alone they would overlap; each follows the one before by its stream-time pause
        List<Caption> rebased = TranscriptDelivery.rebase(List.of(
                fin(1, 1, 0, 2000, 4000),
                fin(2, 1, 3000, 5000, 4500),
                fin(3, 1, 6000, 8000, 7000)), SLOT_START);
        assertEquals(List.of(4000L, 7000L, 10_000L), rebased.stream().map(Caption::startMs).toList());
        assertEquals(List.of(6000L, 9000L, 12_000L), rebased.stream().map(Caption::endMs).toList());
        assertEquals(List.of(7000L), rebased.get(1).words().stream().map(CaptionWord::startMs).toList());
    }

    @Test
    void finalsAreNeverPlacedBeforeTheirAudioArrivedAndANewSessionFollowsByItsArrival() {
        List<Caption> rebased = TranscriptDelivery.rebase(List.of(
                fin(1, 1, 0, 2000, 2500),
                fin(2, 1, 3000, 5000, 6000),   // arrived later than the pause after the first says: kept there
                fin(3, 1, 5500, 6000, 6200),   // arrived early for its place after the second: moved on
                fin(4, 2, 0, 1000, 60_000),    // session 2's stream time starts again at 0
                fin(5, 2, 2000, 3000, 62_000)), SLOT_START);
        assertEquals(List.of(2500L, 6000L, 8500L, 60_000L, 62_000L),
                rebased.stream().map(Caption::startMs).toList());
        assertEquals(List.of(1L, 1L, 1L, 2L, 2L), rebased.stream().map(Caption::session).toList());
    }

    @Test
    void finalsBeforeTheSlotOpenedAreLeftOut() {
        List<Caption> rebased = TranscriptDelivery.rebase(List.of(
                fin(1, 1, 0, 2000, -5000),
                fin(2, 1, 6000, 8000, 1000)), SLOT_START);
        assertEquals(List.of(1000L), rebased.stream().map(Caption::startMs).toList());
    }
}
