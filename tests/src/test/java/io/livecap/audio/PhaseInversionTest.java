package io.livecap.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class PhaseInversionTest {

    @Test
    void invertedRightChannelSilencesTheMonoSumAndIsInvertedBackWithin3s(@TempDir Path dir) throws Exception {
        Path inverted = dir.resolve("inverted.wav");
        runSox("sox", Stereo.lectureFile().toString(), "-c", "2", inverted.toString(), "remix", "1", "1v-1");
        WavAudio wav = WavAudio.read(inverted);
        assertEquals(2, wav.channels());
        short[] speech = Stereo.lecture();

        short[] plainSum = new ChannelMixer(2, RATE).mix(wav.samples(), wav.frames(), ChannelStrategy.SUM);
        double speechDb = Stereo.dbfs(speech, 0, speech.length);
        double sumDb = Stereo.dbfs(plainSum, 0, plainSum.length);
        System.out.printf("inverted right: speech %.1f dBFS, plain mono sum %.1f dBFS%n", speechDb, sumDb);
        assertTrue(sumDb < speechDb - 60, "the plain sum should be near silence: " + sumDb + " dBFS");

        HealthRun run = new HealthRun(RATE, 2).feedAll(wav.samples());
        HealthEvent found = run.events.get(0);
        long latencyMs = found.startMs() - Stereo.onsetMs(speech);
        System.out.printf("inverted right: detected %d ms after speech onset: %s%n", latencyMs, found.message());
        assertEquals(HealthState.PHASE_INVERTED, found.state(), run.log());
        assertEquals(ChannelStrategy.INVERT_RIGHT, found.action());
        assertTrue(latencyMs <= 3000, "detected " + latencyMs + " ms after onset");
        assertTrue(found.message().startsWith("phase inverted: right channel is the negative of left (r=-1.00"),
                found.message());
        assertEquals(1, run.events.size(), "one event, then nothing: " + run.log());

        double r = Stereo.correlation(run.output(), speech, 0, speech.length);
        System.out.printf("inverted right: repaired output correlates %.4f with the original speech%n", r);
        assertTrue(r >= 0.95, "r = " + r);
    }

    /**
     * The words spoken while the inversion is being decided must not reach the recogniser as the cancelled sum: they
     * wait, and go on inverted back, in order, one sample per frame.
     */
    @Test
    void audioBeforeTheDecisionWaitsAndReachesTheRecogniserRepaired() {
        short[] speech = Stereo.lecture();
        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(speech, Stereo.scaled(speech, -1)));

        short[] out = run.output();
        assertEquals(speech.length, out.length, "one output sample per input frame");
        long onsetMs = Stereo.onsetMs(speech);
        System.out.printf("inverted from the first sample: decided at %d ms, at most %d ms held back%n",
                run.events.get(0).startMs(), run.maxHeldMs());
        assertTrue(run.maxHeldMs() > 0 && run.maxHeldMs() <= ChannelRepair.MAX_HOLD_MS, run.maxHeldMs() + " ms");
        int from = (int) ((onsetMs + AudioHealth.PIECE_MS + 20) * RATE / 1000); // a piece to notice, then the fade
        for (int i = from; i < speech.length; i++) {
            assertEquals(speech[i], out[i], "repaired from the first words on, sample " + i);
        }
    }

    /** A stream that ends while audio waits for a decision still hands every sample on, once, at its end. */
    @Test
    void audioHeldWhenTheStreamEndsIsHandedOnAtTheEnd() {
        short[] speech = Stereo.lecture();
        short[] stereo = Stereo.interleave(speech, Stereo.scaled(speech, -1));
        HealthRun run = new HealthRun(RATE, 2).feedUntil(stereo, 700 * RATE / 1000);
        assertTrue(run.repair.heldMs() > 0, "premise: audio is held");
        assertTrue(run.events.isEmpty(), "premise: not decided yet: " + run.log());

        short[] rest = run.repair.flush();

        assertEquals(0, run.repair.heldMs());
        assertEquals(700 * RATE / 1000, run.output().length + rest.length, "every frame, once");
    }

    /** A real desk: the inverted channel is also quieter, 0.3 ms late and has its own noise, so nothing is exact. */
    @Test
    void invertedRightChannelOfARealisticFeedIsFoundAndRepaired() {
        short[] speech = Stereo.lecture();
        short[] left = Stereo.plus(Stereo.scaled(speech, 0.9), Stereo.noise(speech.length, -65, 1));
        short[] right = Stereo.plus(Stereo.scaled(Stereo.delayed(speech, 5), -0.6), Stereo.noise(speech.length, -65, 2));
        short[] stereo = Stereo.interleave(left, right);
        double sumDb = Stereo.dbfs(new ChannelMixer(2, RATE).mix(stereo, speech.length, ChannelStrategy.SUM), 0,
                speech.length);
        double leftDb = Stereo.dbfs(left, 0, left.length);

        HealthRun run = new HealthRun(RATE, 2).feedAll(stereo);
        HealthEvent found = run.events.get(0);
        long latencyMs = found.startMs() - Stereo.onsetMs(speech);
        double r = Stereo.correlation(run.output(), speech, 0, speech.length);
        System.out.printf("realistic inversion: plain sum %.1f dB below left; detected %d ms after onset; "
                + "output r=%.3f: %s%n", leftDb - sumDb, latencyMs, r, found.message());
        assertEquals(HealthState.PHASE_INVERTED, found.state(), run.log());
        assertEquals(ChannelStrategy.INVERT_RIGHT, found.action());
        assertTrue(latencyMs <= 3000, "detected " + latencyMs + " ms after onset");
        assertEquals(1, run.events.size(), run.log());
        assertTrue(r >= 0.95, "r = " + r);
    }

    /** r about -0.6: the channels share one part in opposite phase and differ otherwise; inverting would cancel. */
    @Test
    void partlyOpposedChannelsFallBackToTheLouderChannel() {
        int n = 20 * RATE;
        short[] shared = Stereo.chord(n, -20, 300);
        short[] left = Stereo.plus(shared, Stereo.chord(n, -20, 700));
        short[] right = Stereo.plus(Stereo.scaled(shared, -1), Stereo.chord(n, -24.4, 1100));

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(left, right));

        HealthEvent found = run.events.get(0);
        assertEquals(HealthState.PHASE_INVERTED, found.state(), run.log());
        assertTrue(found.levels().correlation() > AudioHealth.COHERENT_INVERSION_R
                && found.levels().correlation() <= AudioHealth.INVERTED_R, found.message());
        assertEquals(ChannelStrategy.LEFT, found.action(), found.message());
        assertEquals(2000, found.startMs(), "needs the full 2 s of r <= -0.5: " + run.log());
        assertEquals(1, run.events.size(), run.log());
    }

    @Test
    void inversionThatIsFixedGoesBackToOkAndSumAfterTheHysteresis() {
        short[] speech = Stereo.lecture();
        int fixedAt = 20 * RATE;
        short[] right = Stereo.scaled(speech, -1);
        System.arraycopy(speech, fixedAt, right, fixedAt, speech.length - fixedAt); // the partner re-patches

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(speech, right));

        assertEquals(List.of(HealthState.PHASE_INVERTED, HealthState.OK),
                run.events.stream().map(HealthEvent::state).toList(), run.log());
        HealthEvent back = run.events.get(1);
        long afterFixMs = back.startMs() - 20_000;
        System.out.printf("fixed inversion: back to ok %d ms after the fix: %s%n", afterFixMs, back.message());
        assertTrue(afterFixMs >= 2000 && afterFixMs <= 3500, "back " + afterFixMs + " ms after the fix");
        assertEquals(ChannelStrategy.SUM, back.action());
        assertEquals(ChannelStrategy.SUM, run.health.effectiveStrategy());
        assertTrue(back.message().startsWith("audio ok: ") && back.message().contains("(was phase_inverted)"),
                back.message());
        short[] out = run.output();
        int settled = (int) (back.startMs() + 500) * RATE / 1000;
        for (int i = settled; i < speech.length; i++) {
            assertEquals(speech[i], out[i], "after recovery the output is the plain sum, sample " + i);
        }
    }

    /** A long break (a pause in the programme) must neither drop the repair nor leave a wrong state behind. */
    @Test
    void longSilenceInsideAnInvertedFeedKeepsTheRepair() {
        short[] speech = Stereo.lecture();
        short[] withBreak = speech.clone();
        Arrays.fill(withBreak, 20 * RATE, 33 * RATE, (short) 0); // 13 s of silence

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(withBreak, Stereo.scaled(withBreak, -1)));

        assertEquals(List.of(HealthState.PHASE_INVERTED, HealthState.SILENCE, HealthState.PHASE_INVERTED),
                run.events.stream().map(HealthEvent::state).toList(), run.log());
        assertEquals(30_000, run.events.get(1).startMs(), 500, "10 s into the break: " + run.log());
        HealthEvent back = run.events.get(2);
        assertTrue(back.message().startsWith("phase inverted: right channel is the negative of left")
                && back.message().endsWith("(was silence) -> inverting right"), back.message());
        assertTrue(run.events.stream().allMatch(e -> e.action() == ChannelStrategy.INVERT_RIGHT), run.log());
        double r = Stereo.correlation(run.output(), withBreak, 0, speech.length);
        assertTrue(r >= 0.95, "r = " + r);
    }

    static void runSox(String... command) throws IOException, InterruptedException {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "skipped: sox not found (" + e.getMessage() + "); install it: apt-get install sox");
            return;
        }
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), "sox failed: " + output);
    }
}
