package io.livecap.ingest;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ArrivalLogTest {

    private static final long WRAP = 1L << 33;

    @Test
    void aFrameTakesTheArrivalOfTheLastChunkAtOrBeforeItsPts() {
        ArrivalLog log = new ArrivalLog("t", new PtsClock(90_000, 33));
        log.add(1_000, 100);
        log.add(10_000, 200);
        log.add(20_000, 300);
        assertEquals(100, log.epochOf(1_000));
        assertEquals(100, log.epochOf(9_999));
        assertEquals(200, log.epochOf(10_000));
        assertEquals(300, log.epochOf(25_000));
    }

    @Test
    void chunksAcrossThePtsWrapStillMatchTheirFrames() {
        ArrivalLog log = new ArrivalLog("t", new PtsClock(90_000, 33));
        log.add(WRAP - 9_000, 100);
        log.add(WRAP - 1_000, 200);
        log.add(4_000, 300); // wrapped
        assertEquals(100, log.epochOf(WRAP - 5_000));
        assertEquals(200, log.epochOf(WRAP - 1));
        assertEquals(200, log.epochOf(2_000));
        assertEquals(300, log.epochOf(4_000));
    }

    @Test
    void aBackwardResetDoesNotPullOldFramesOntoNewChunks() {
        ArrivalLog log = new ArrivalLog("t", new PtsClock(1_000, 32));
        log.add(900_000, 100);
        log.add(900_500, 200);
        log.add(0, 300); // the encoder restarted its clock
        log.add(500, 400);
        assertEquals(100, log.epochOf(900_100));
        assertEquals(200, log.epochOf(900_600), "not the reset chunk, though 0 <= 900600");
        assertEquals(300, log.epochOf(64));
        assertEquals(400, log.epochOf(564));
    }

    @Test
    void headersInAnotherClockFallBackToTheNewestArrival() {
        ArrivalLog log = new ArrivalLog("t", new PtsClock(90_000, 33));
        log.add(0, 100);
        log.add(0, 200);
        assertEquals(200, log.epochOf(8_000_000_000L));
    }
}
