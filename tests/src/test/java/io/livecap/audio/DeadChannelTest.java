package io.livecap.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeadChannelTest {

    /** A dead channel is rarely digital zero: an unplugged input still carries the converter's hiss. */
    @ParameterizedTest(name = "{0} channel dead, its floor at {1} dBFS")
    @CsvSource({"left, -90", "right, -90", "left, -120", "right, -120", "left, -65"})
    void deadChannelIsFoundWithin3sAndTheLiveOneIsUsed(String dead, double floorDbfs) {
        short[] speech = Stereo.lecture();
        short[] floor = floorDbfs <= -120 ? new short[speech.length] : Stereo.noise(speech.length, floorDbfs, 7);
        boolean leftDead = dead.equals("left");
        short[] stereo = leftDead ? Stereo.interleave(floor, speech) : Stereo.interleave(speech, floor);

        HealthRun run = new HealthRun(RATE, 2).feedAll(stereo);

        HealthEvent found = run.events.get(0);
        long latencyMs = found.startMs() - Stereo.onsetMs(speech);
        System.out.printf("%s dead (%.0f dBFS): detected %d ms after speech onset: %s%n", dead, floorDbfs, latencyMs,
                found.message());
        assertEquals(leftDead ? HealthState.LEFT_DEAD : HealthState.RIGHT_DEAD, found.state(), run.log());
        assertEquals(leftDead ? ChannelStrategy.RIGHT : ChannelStrategy.LEFT, found.action());
        assertTrue(found.message().startsWith(dead + " channel dead: "), found.message());
        assertTrue(latencyMs <= 3000, "detected " + latencyMs + " ms after onset");
        assertEquals(1, run.events.size(), "one event, through the pauses too: " + run.log());

        short[] out = run.output();
        int settled = (int) (found.startMs() + 500) * RATE / 1000;
        for (int i = settled; i < speech.length; i++) {
            assertEquals(speech[i], out[i], "the live channel alone, sample " + i);
        }
    }

    /** The partner re-patches during a break: the repair holds while nobody speaks, then ok 2 s into the audio. */
    @Test
    void channelFixedDuringABreakIsOkTwoSecondsAfterAudioReturns() {
        short[] speech = Stereo.lecture();
        short[] withBreak = speech.clone();
        Arrays.fill(withBreak, 20 * RATE, 33 * RATE, (short) 0);
        short[] left = withBreak.clone();
        Arrays.fill(left, 0, 26 * RATE, (short) 0); // dead until the middle of the break

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(left, withBreak));

        assertEquals(List.of(HealthState.LEFT_DEAD, HealthState.SILENCE, HealthState.LEFT_DEAD, HealthState.OK),
                run.events.stream().map(HealthEvent::state).toList(), run.log());
        HealthEvent back = run.events.get(2);
        assertTrue(back.message().startsWith("audio back after silence (left ") && back.message().endsWith(
                "; still treated as left_dead until 2 s of audio confirm or clear it -> using right only"),
                back.message());
        assertEquals(ChannelStrategy.RIGHT, run.events.get(1).action(), "the repair holds through the silence");
        HealthEvent ok = run.events.get(3);
        assertEquals(2000, ok.startMs() - back.startMs(), 500, run.log());
        assertEquals(ChannelStrategy.SUM, ok.action());
    }
}
