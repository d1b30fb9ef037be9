package io.livecap.audio;

import org.junit.jupiter.api.Test;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DcOffsetTest {

    private static final int TWO_PERCENT = 655;   // of full scale 32768
    private static final int HALF_PERCENT = 164;

    @Test
    void dcOffsetAboveOnePercentIsFlaggedWithoutChangingTheMix() {
        short[] speech = Stereo.lecture();
        short[] left = Stereo.plus(speech, Stereo.constant(speech.length, TWO_PERCENT));

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(left, speech));

        assertEquals(1, run.events(HealthEvent.Kind.DC_OFFSET).size(), run.log());
        HealthEvent flagged = run.events(HealthEvent.Kind.DC_OFFSET).get(0);
        System.out.printf("dc offset: flagged at %d ms: %s%n", flagged.startMs(), flagged.message());
        assertEquals(2000, flagged.startMs(), "2 s of windows above 1 %");
        assertTrue(flagged.dcOffset());
        assertEquals(2.0, flagged.levels().left().dcPercent(), 0.2);
        assertTrue(flagged.message().startsWith("DC offset: left +2."), flagged.message());
        assertEquals(1, run.events(HealthEvent.Kind.OK).size(), "the channels are healthy: " + run.log());
        assertEquals(2, run.events.size(), run.log());
        assertTrue(run.health.snapshot().dcOffset());
        assertEquals(ChannelStrategy.SUM, run.health.effectiveStrategy());
    }

    @Test
    void cleanSpeechAndHalfAPercentAreNotFlagged() {
        short[] speech = Stereo.lecture();
        short[] slightlyOff = Stereo.plus(speech, Stereo.constant(speech.length, HALF_PERCENT));

        HealthRun clean = new HealthRun(RATE, 2).feedAll(Stereo.interleave(speech, speech));
        HealthRun slight = new HealthRun(RATE, 2).feedAll(Stereo.interleave(slightlyOff, slightlyOff));
        HealthRun mono = new HealthRun(RATE, 1).feedAll(slightlyOff);

        for (HealthRun run : new HealthRun[] {clean, slight, mono}) {
            assertEquals(0, run.events(HealthEvent.Kind.DC_OFFSET).size(), run.log());
            assertEquals(1, run.events.size(), run.log());
            assertFalse(run.health.snapshot().dcOffset());
        }
    }

    @Test
    void dcOffsetThatGoesAwayIsCleared() {
        short[] speech = Stereo.lecture();
        short[] right = speech.clone();
        for (int i = 0; i < 20 * RATE; i++) {
            right[i] = Stereo.clip(right[i] - TWO_PERCENT);
        }

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(speech, right));

        assertEquals(1, run.events(HealthEvent.Kind.DC_OFFSET).size(), run.log());
        assertEquals(1, run.events(HealthEvent.Kind.DC_OFFSET_CLEARED).size(), run.log());
        HealthEvent cleared = run.events(HealthEvent.Kind.DC_OFFSET_CLEARED).get(0);
        assertEquals(22_000, cleared.startMs(), run.log());
        assertFalse(run.health.snapshot().dcOffset());
    }

    /** An unplugged channel stuck at an offset is still dead: the offset is not signal. */
    @Test
    void deadChannelStuckAtAnOffsetIsDeadAndFlagged() {
        short[] speech = Stereo.lecture();

        HealthRun run = new HealthRun(RATE, 2)
                .feedAll(Stereo.interleave(Stereo.constant(speech.length, -2 * TWO_PERCENT), speech));

        assertEquals(HealthState.LEFT_DEAD, run.events(HealthEvent.Kind.LEFT_DEAD).get(0).state(), run.log());
        assertEquals(1, run.events(HealthEvent.Kind.DC_OFFSET).size(), run.log());
        assertEquals(2, run.events.size(), run.log());
        assertEquals(ChannelStrategy.RIGHT, run.health.effectiveStrategy());
    }
}
