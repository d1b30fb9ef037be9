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

    /**
     * A dead channel is rarely digital zero: an unplugged input still carries the converter's hiss. Until it is
     * judged dead the sum carries the live channel at -6 dB, which costs no words; so the judgement can take 20 s.
     */
    @ParameterizedTest(name = "{0} channel dead, its floor at {1} dBFS")
    @CsvSource({"left, -90", "right, -90", "left, -120", "right, -120", "left, -65"})
    void deadChannelIsFoundAfter20sWithoutSignalAndTheLiveOneIsUsed(String dead, double floorDbfs) {
        short[] speech = Stereo.lecture();
        short[] floor = floorDbfs <= -120 ? new short[speech.length] : Stereo.noise(speech.length, floorDbfs, 7);
        boolean leftDead = dead.equals("left");
        short[] stereo = leftDead ? Stereo.interleave(floor, speech) : Stereo.interleave(speech, floor);

        HealthRun run = new HealthRun(RATE, 2).feedAll(stereo);

        HealthEvent found = run.events.get(0);
        System.out.printf("%s dead (%.0f dBFS): detected at %d ms: %s%n", dead, floorDbfs, found.startMs(),
                found.message());
        assertEquals(leftDead ? HealthState.LEFT_DEAD : HealthState.RIGHT_DEAD, found.state(), run.log());
        assertEquals(leftDead ? ChannelStrategy.RIGHT : ChannelStrategy.LEFT, found.action());
        assertTrue(found.message().startsWith(dead + " channel dead: "), found.message());
        assertTrue(found.startMs() >= AudioHealth.DEAD_WINDOW_MS && found.startMs() <= AudioHealth.DEAD_WINDOW_MS + 1000,
                "detected at " + found.startMs() + " ms");
        assertEquals(1, run.events.size(), "one event, through the pauses too: " + run.log());
        assertEquals(0, run.maxHeldMs(), "the sum never loses a dead channel's speech, so nothing waits");

        short[] out = run.output();
        assertEquals(speech.length, out.length);
        short[] sum = new ChannelMixer(2, RATE).mix(stereo, speech.length, ChannelStrategy.SUM);
        int found0 = (int) (found.startMs() * RATE / 1000);
        for (int i = 0; i < found0 - RATE / 10; i++) {
            assertEquals(sum[i], out[i], "the sum until the decision, sample " + i);
        }
        int settled = (int) (found.startMs() + 500) * RATE / 1000;
        for (int i = settled; i < speech.length; i++) {
            assertEquals(speech[i], out[i], "the live channel alone, sample " + i);
        }
    }

    /** The partner re-patches during a break: the channel is used again as soon as it carries audio. */
    @Test
    void channelFixedDuringABreakIsUsedAgainWhenAudioReturns() {
        short[] speech = Stereo.lecture();
        short[] withBreak = speech.clone();
        Arrays.fill(withBreak, 20 * RATE, 33 * RATE, (short) 0);
        short[] left = withBreak.clone();
        Arrays.fill(left, 0, 26 * RATE, (short) 0); // dead until the middle of the break

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(left, withBreak));

        assertEquals(List.of(HealthState.LEFT_DEAD, HealthState.SILENCE, HealthState.OK),
                run.events.stream().map(HealthEvent::state).toList(), run.log());
        assertEquals(ChannelStrategy.RIGHT, run.events.get(1).action(), "the repair holds through the silence");
        HealthEvent ok = run.events.get(2);
        assertEquals(ChannelStrategy.SUM, ok.action());
        short[] out = run.output();
        int back = 33 * RATE + RATE / 50; // after the 20 ms cross-fade
        for (int i = back; i < speech.length; i++) {
            assertEquals((left[i] + withBreak[i]) >> 1, out[i], "the sum again, sample " + i);
        }
    }

    /** A channel judged dead that starts to carry speech is back in the mix within 50 ms, before any word is lost. */
    @Test
    void deadChannelThatComesBackMidSpeechIsInTheMixWithin50ms() {
        short[] speech = Stereo.lecture();
        short[] other = Stereo.scaled(Stereo.delayed(speech, 3), 0.8);
        int backAt = 30 * RATE + RATE / 4;
        short[] left = other.clone();
        Arrays.fill(left, 0, backAt, (short) 0);

        HealthRun run = new HealthRun(RATE, 2).feedAll(Stereo.interleave(left, speech));

        assertEquals(List.of(HealthState.LEFT_DEAD, HealthState.OK),
                run.events.stream().map(HealthEvent::state).toList(), run.log());
        HealthEvent ok = run.events.get(1);
        System.out.printf("dead left back at %d ms: used again at %d ms: %s%n", backAt * 1000L / RATE, ok.startMs(),
                ok.message());
        assertTrue(ok.message().startsWith("left channel carries audio again ("), ok.message());
        long onset = backAt * 1000L / RATE + Stereo.onsetMs(Arrays.copyOfRange(left, backAt, left.length));
        assertTrue(ok.startMs() - onset <= AudioHealth.PIECE_MS, "back at " + ok.startMs() + " for audio at " + onset);
        short[] out = run.output();
        for (int i = (int) (ok.startMs() * RATE / 1000); i < speech.length; i++) {
            assertEquals((left[i] + speech[i]) >> 1, out[i], "the sum from the piece that woke it, sample " + i);
        }
    }
}
