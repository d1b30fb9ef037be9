package io.livecap.timing;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimingMapTest {

    private static final long WRAP_33 = 1L << 33;

    @Test
    void offsetInsideAChunkAddsToItsPtsAndEpoch() {
        TimingMap map = new TimingMap(48_000, 90_000, 33);
        map.append(1_000_000, 1_700_000_000_000L, 4800);  // 100 ms
        map.append(1_009_000, 1_700_000_000_150L, 4800);
        MediaTime t = map.at(150); // 50 ms into the second chunk
        assertEquals(150, t.startMs());
        assertEquals(1_700_000_000_150L + 50, t.startEpoch());
        assertEquals(1_009_000 + 4_500, t.startPts());
    }

    @Test
    void ptsWrapsAt33BitsExactlyAsTheSourceDoes() {
        TimingMap map = new TimingMap(16_000, 90_000, 33);
        long start = WRAP_33 - 90_000; // one second before the wrap
        for (int i = 0; i < 20; i++) {  // 2 s in 100 ms chunks
            long pts = (start + i * 9_000L) % WRAP_33;
            assertNull(map.append(pts, 0, 1600), "continuous audio across the wrap is not a discontinuity");
        }
        assertEquals(1, map.wrapCount());
        assertEquals(0, map.discontinuityCount());
        assertEquals(WRAP_33 - 90_000 + 45_000, map.at(500).startPts());
        assertEquals(45_000, map.at(1_500).startPts()); // half a second after the wrap
        // a sample inside a chunk that straddles the wrap
        TimingMap straddle = new TimingMap(16_000, 90_000, 33);
        straddle.append(WRAP_33 - 4_500, 0, 1600); // 50 ms before the wrap, 100 ms long
        assertEquals(WRAP_33 - 2_250, straddle.at(25).startPts());
        assertEquals(2_250, straddle.at(75).startPts());
    }

    @Test
    void jumpIsRecordedAndStartStaysContinuous() {
        TimingMap map = new TimingMap(16_000, 1000, 64);
        map.append(5_000, 100, 1600);        // 0-100 ms, pts 5000 ms
        Discontinuity jump = map.append(10_000, 200, 1600); // source jumped 4.9 s ahead
        assertNotNull(jump);
        assertEquals(100, jump.atMs());
        assertEquals(5_100, jump.expectedPts());
        assertEquals(4_900, jump.jumpTicks());
        assertEquals(150, map.at(150).startMs());
        assertEquals(10_050, map.at(150).startPts());
        Discontinuity reset = map.append(0, 300, 1600); // encoder restarted its clock
        assertEquals(-10_100, reset.jumpTicks());
        assertEquals(250, map.at(250).startMs());
        assertEquals(50, map.at(250).startPts());
        assertEquals(2, map.discontinuityCount());
    }

    @Test
    void chunksOfAnySizeMapExactly() {
        TimingMap map = new TimingMap(44_100, 90_000, 33);
        long frame = 0;
        int[] sizes = {1, 441, 7, 4410, 13, 1, 22050, 999};
        for (int size : sizes) {
            long pts = frame * 90_000 / 44_100;
            assertNull(map.append(pts, 1_000 + frame * 1000 / 44_100, size));
            frame += size;
        }
        for (long sample = 0; sample < frame; sample += 37) {
            assertEquals(sample * 90_000 / 44_100, map.atSample(sample).startPts(), 1.0, "sample " + sample);
        }
    }

    @Test
    void memoryStaysBoundedOverHours() {
        TimingMap map = new TimingMap(16_000, 90_000, 33);
        long pts = 0;
        for (long chunk = 0; chunk < 4 * 3600 * 10; chunk++) { // four hours of 100 ms chunks
            map.append(pts % WRAP_33, chunk * 100, 1600);
            pts += 9_000;
            if (chunk % 50 == 0) {
                map.forgetBefore(map.durationMs() - 10_000); // what the caption builder does after each final
            }
        }
        assertTrue(map.rowCount() < 200, "rows kept: " + map.rowCount());
        assertEquals(4 * 3600 * 1000L, map.durationMs());
        long lastMs = map.durationMs() - 50;
        assertEquals((lastMs * 90) % WRAP_33, map.at(lastMs).startPts());
    }

    @Test
    void smallJitterIsNotADiscontinuity() {
        TimingMap map = new TimingMap(48_000, 90_000, 33);
        map.append(0, 0, 960);      // 20 ms = 1800 ticks
        assertNull(map.append(1_801, 20, 960)); // one tick of rounding
        assertNotNull(map.append(1_801 + 1_800 + 900, 40, 960)); // 10 ms late
    }
}
