package io.livecap.asr.vosk;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static io.livecap.asr.vosk.TestVoskModel.LIFTER;
import static io.livecap.asr.vosk.TestVoskModel.MEL_BINS;
import static io.livecap.asr.vosk.TestVoskModel.PHONES;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generator's own guarantees, which libvosk would not check (it crashes or decodes garbage instead). */
class TestVoskModelTest {

    @Test
    void theReadoutRowRecoversAMelBinsLogEnergyFromKaldisCepstra() {
        double[] logMel = new Random(7).doubles(MEL_BINS, -16, 30).toArray();
        double[] cepstra = new double[MEL_BINS];
        for (int k = 0; k < MEL_BINS; k++) {
            for (int n = 0; n < MEL_BINS; n++) {
                double dct = k == 0 ? Math.sqrt(1.0 / MEL_BINS)
                        : Math.sqrt(2.0 / MEL_BINS) * Math.cos(Math.PI * k * (n + 0.5) / MEL_BINS);
                cepstra[k] += dct * logMel[n];
            }
            cepstra[k] *= 1 + 0.5 * LIFTER * Math.sin(Math.PI * k / LIFTER);
        }
        for (int bin = 0; bin < MEL_BINS; bin++) {
            double[] row = TestVoskModel.logMelReadout(bin);
            double readBack = 0;
            for (int k = 0; k < MEL_BINS; k++) {
                readBack += row[k] * cepstra[k];
            }
            assertEquals(logMel[bin], readBack, 1e-9, "mel bin " + bin);
        }
    }

    @Test
    void theTonesFallInDifferentMelBins() {
        assertEquals(3, TestVoskModel.melBinOf(TestVoskModel.BEEP_HZ));
        assertEquals(7, TestVoskModel.melBinOf(TestVoskModel.BOOP_HZ));
    }

    @Test
    void aTransitionIdBeyondTheModelIsRefused() {
        List<TestVoskModel.Arc> graph = new ArrayList<>(TestVoskModel.graph());
        graph.add(new TestVoskModel.Arc(0, TestVoskModel.transitionIds() + 1, 0, 0, PHONES));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> TestVoskModel.check(graph, network(PHONES, MEL_BINS), new double[PHONES]));
        assertTrue(e.getMessage().contains("transition-id 7 outside 1..6"), e.getMessage());
    }

    @Test
    void aNetworkWithFewerOutputsThanPdfsIsRefused() {
        assertThrows(IllegalStateException.class,
                () -> TestVoskModel.check(TestVoskModel.graph(), network(PHONES - 1, MEL_BINS), new double[PHONES - 1]));
        assertThrows(IllegalStateException.class,
                () -> TestVoskModel.check(TestVoskModel.graph(), network(PHONES, 13), new double[PHONES]));
    }

    private static double[][] network(int outputs, int inputs) {
        return new double[outputs][inputs];
    }
}
