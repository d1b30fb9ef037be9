package io.livecap.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PercentilesTest {

    @Test
    void nearestRankIsAValueOfTheSampleNeverAnInterpolation() {
        Percentiles p = new Percentiles(List.of(40, 10, 30, 20, 50, 60, 70, 80, 90, 100));
        assertEquals(50, p.at(50));
        assertEquals(100, p.at(95), "the 95th of 10 values is the 10th");
        assertEquals(10, p.at(0));
        assertEquals(100, p.at(100));
    }

    @Test
    void aDistributionSummarisesTheSample() {
        Distribution d = Distribution.of(List.of(3L, 1L, 2L, 4L, 100L));
        assertEquals(5, d.count());
        assertEquals(3, d.p50());
        assertEquals(100, d.p95());
        assertEquals(100, d.max());
        assertEquals(22, d.mean(), 1e-9);
    }

    @Test
    void anEmptySampleHasNoPercentiles() {
        Distribution d = Distribution.of(List.of());
        assertEquals(0, d.count());
        assertTrue(Double.isNaN(d.p95()));
    }

    @Test
    void aLineFitFindsGrowthAndSaysNothingAboutOnePoint() {
        LinearFit growing = LinearFit.of(List.of(new double[] {0, 100}, new double[] {1, 400}, new double[] {2, 700}));
        assertEquals(300, growing.slope(), 1e-9);
        assertEquals(100, growing.intercept(), 1e-9);
        assertTrue(Double.isNaN(LinearFit.of(List.<double[]>of(new double[] {1, 5})).slope()));
    }
}
