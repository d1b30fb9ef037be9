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

    private static final long WRAP_32 = 1L << 32;

    @Test
    void aNewSourceWhosePtsRestartContinuesTheTimelineAfterTheWallClockGap() {
        TimingMap first = new TimingMap(16_000, 90_000, 33);
        for (int i = 0; i < 30; i++) { // 3 s arriving in real time
            first.append(500_000 + i * 9_000L, 1_000_000 + i * 100L, 1600);
        }
        TimelinePoint left = first.end();
        assertEquals(3_000, left.endMs());
        assertEquals(1_000_000 + 2_900, left.lastArrivalEpochMs());

        TimingMap second = new TimingMap(16_000, 90_000, 33);
        second.continueAfter(left);
        second.append(0, left.lastArrivalEpochMs() + 5_000, 1600); // the encoder came back 5 s later, pts from 0
        TimelineGap gap = second.recentGaps().get(0);
        assertEquals(TimelineGap.Measure.WALL_CLOCK, gap.measure());
        assertEquals(5_000, gap.lengthMs());
        assertEquals(3_000, gap.atMs());
        assertEquals(8_000, second.at(0).startMs(), "start moved on by the gap, never back to 0");
        assertEquals(8_050, second.at(50).startMs());
        assertEquals(4_500, second.at(50).startPts(), "start_pts stays the source's own");
        assertEquals(8_050, second.timelineMs(50));
        assertEquals(0, second.discontinuityCount(), "a new source is a gap, not a discontinuity");
    }

    @Test
    void aGapWhosePtsContinueIsMeasuredByThePtsNotTheArrivalTimes() {
        TimingMap first = new TimingMap(16_000, 1000, 64);
        first.append(10_000, 0, 16_000); // 1 s, fed faster than real time: arrived at once
        TimingMap second = new TimingMap(16_000, 1000, 64);
        second.continueAfter(first.end());
        second.append(16_000, 200, 1600); // pts say 5 s of media were missed, though it came back in 0.2 s
        TimelineGap gap = second.recentGaps().get(0);
        assertEquals(TimelineGap.Measure.PTS, gap.measure());
        assertEquals(5_000, gap.lengthMs());
        assertEquals(200, gap.wallMs());
        assertEquals(6_000, second.at(0).startMs());
        // an unrelated clock (a day ahead) is not trusted: the wall clock decides
        TimingMap third = new TimingMap(16_000, 1000, 64);
        third.continueAfter(second.end());
        third.append(16_100 + 86_400_000, 1_200, 1600);
        assertEquals(TimelineGap.Measure.WALL_CLOCK, third.recentGaps().get(0).measure());
        assertEquals(6_100 + 1_000, third.at(0).startMs());
    }

    @Test
    void aPullReconnectInsideASourceMovesStartOnFromTheNextChunk() {
        TimingMap map = new TimingMap(16_000, 90_000, 33);
        map.append(0, 0, 16_000); // 0-1000 ms
        TimelineGap gap = map.gap(1_000, 3_500, 90_000, 7, "reconnected after: connection reset");
        assertEquals(1_000, gap.atMs());
        assertEquals(2_500, gap.lengthMs(), "pts restarted: wall clock");
        assertEquals(900, map.at(900).startMs(), "audio before the gap keeps its place");
        assertNotNull(map.append(7, 3_500, 16_000));
        assertEquals(1_000 + 2_500 + 100, map.at(1_100).startMs());
        assertEquals(3_600, map.timelineMs(1_100));
        assertEquals(1_000 + 2_500 + 1_000, map.end().endMs());
    }

    @Test
    void a33BitWrapWithADiscontinuityAtTheWrapIsOneJumpNotAWrapAround() {
        TimingMap map = new TimingMap(16_000, 90_000, 33);
        long start = WRAP_33 - 45_000; // half a second before the wrap
        for (int i = 0; i < 5; i++) {
            assertNull(map.append(start + i * 9_000L, i * 100L, 1600));
        }
        // at the wrap the source also jumps 3 s ahead: expected 0, gets 270000
        Discontinuity jump = map.append(270_000, 500, 1600);
        assertNotNull(jump);
        assertEquals(0, jump.expectedPts());
        assertEquals(270_000, jump.jumpTicks(), "the shorter way round the wrap, not -2^33");
        assertEquals(500, jump.atMs());
        assertEquals(1, map.discontinuityCount());
        assertEquals(550, map.at(550).startMs(), "start stays continuous");
        assertEquals(270_000 + 4_500, map.at(550).startPts());
        assertEquals(WRAP_33 - 45_000 + 22_500, map.at(250).startPts());
        // a pulled source that drops just before the wrap and comes back after it with its clock running
        TimingMap pulled = new TimingMap(16_000, 90_000, 33);
        pulled.append(WRAP_33 - 9_000, 0, 1600);     // its last 100 ms end exactly at the wrap
        TimelineGap gap = pulled.gap(0, 4_000, 0, 4 * 90_000, "reconnected after: timeout");
        assertEquals(TimelineGap.Measure.PTS, gap.measure());
        assertEquals(4_000, gap.lengthMs());
        pulled.append(4 * 90_000, 4_000, 1600);
        assertEquals(4_100, pulled.at(100).startMs());
        assertEquals(4 * 90_000, pulled.at(100).startPts());
    }

    @Test
    void a32BitRtmpClockWrapsAfter49DaysWithoutADiscontinuity() {
        TimingMap map = new TimingMap(16_000, 1000, 32);
        long start = WRAP_32 - 1_000; // one second before an RTMP timestamp wraps
        for (int i = 0; i < 20; i++) {
            long pts = (start + i * 100L) % WRAP_32;
            assertNull(map.append(pts, i * 100L, 1600), "chunk " + i);
        }
        assertEquals(1, map.wrapCount());
        assertEquals(0, map.discontinuityCount());
        assertEquals(WRAP_32 - 500, map.at(500).startPts());
        assertEquals(500, map.at(1_500).startPts());
        assertEquals(1_500, map.at(1_500).startMs());
        // the encoder reconnects across the wrap with its clock running: measured by the pts, 2 s
        TimingMap again = new TimingMap(16_000, 1000, 32);
        TimelinePoint left = new TimelinePoint(map.end().endMs(), 1_900, WRAP_32 - 1_000, 1000, 32);
        again.continueAfter(left);
        again.append(1_000, 1_950, 1600);
        assertEquals(TimelineGap.Measure.PTS, again.recentGaps().get(0).measure());
        assertEquals(2_000, again.recentGaps().get(0).lengthMs());
        assertEquals(2_000 + 2_000, again.at(0).startMs());
    }
}
