package io.livecap.audio;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.IntBinaryOperator;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorStrategyTest {

    private static final int LONGEST_CHUNK = 4096; // HealthRun's largest chunk: the mixer switches at a chunk edge

    @ParameterizedTest
    @EnumSource(value = ChannelStrategy.class, names = {"SWAP", "LEFT", "INVERT_RIGHT", "RIGHT"})
    void forcedStrategyAppliesAtTheNextWindowWithOneEvent(ChannelStrategy forced) {
        short[] speech = Stereo.lecture();
        short[] left = Stereo.plus(speech, Stereo.noise(speech.length, -65, 1));
        short[] right = Stereo.plus(Stereo.scaled(Stereo.delayed(speech, 5), 0.5), Stereo.noise(speech.length, -65, 2));
        short[] stereo = Stereo.interleave(left, right);
        HealthRun run = new HealthRun(RATE, 2);

        run.feedUntil(stereo, 10_200 * RATE / 1000); // mid-window
        run.health.request(forced);
        assertEquals(forced, run.health.snapshot().requested(), "the API shows the request at once");
        assertEquals(ChannelStrategy.SUM, run.health.snapshot().effective(), "but it waits for the window");
        run.feedAll(stereo);

        assertEquals(2, run.events.size(), run.log());
        assertEquals(HealthState.OK, run.events.get(0).state());
        HealthEvent change = run.events.get(1);
        assertEquals(HealthEvent.Kind.STRATEGY, change.kind());
        assertEquals(10_500, change.startMs(), "applied at the next window boundary");
        assertEquals(forced, change.action());
        assertEquals(forced, change.requested());
        assertEquals(HealthState.OK, change.state());
        assertTrue(change.message().startsWith("operator set '" + forced.wireName() + "' (state ok) -> "),
                change.message());
        HealthSnapshot snapshot = run.health.snapshot();
        assertEquals(forced, snapshot.effective());
        assertEquals(1, snapshot.count(HealthEvent.Kind.STRATEGY));

        short[] out = run.output();
        assertEquals(speech.length, out.length, "one output sample per input frame");
        int before = 10_200 * RATE / 1000;
        for (int i = 0; i < before; i++) {
            assertEquals((left[i] + right[i]) >> 1, out[i], "auto's sum before the request, sample " + i);
        }
        IntBinaryOperator mix = switch (forced) {
            case LEFT -> (l, r) -> l;
            case RIGHT -> (l, r) -> r;
            case INVERT_RIGHT -> (l, r) -> (l - r) >> 1;
            default -> (l, r) -> (l + r) >> 1; // swap: in a mono down-mix, the same samples as the sum
        };
        int after = 10_500 * RATE / 1000 + LONGEST_CHUNK + RATE / 50;
        for (int i = after; i < out.length; i++) {
            assertEquals(mix.applyAsInt(left[i], right[i]), out[i], forced + " after the switch, sample " + i);
        }
    }

    @Test
    void forcedStrategyHoldsThroughAFaultAndAutoRepairsWhenHandedBack() {
        short[] speech = Stereo.lecture();
        HealthRun run = new HealthRun(RATE, 2, ChannelStrategy.SUM); // configured: no automatic repair
        short[] stereo = Stereo.interleave(speech, Stereo.scaled(speech, -1));

        run.feedUntil(stereo, 20 * RATE);
        assertEquals(HealthState.PHASE_INVERTED, run.events.get(0).state(), run.log());
        assertEquals(ChannelStrategy.SUM, run.events.get(0).action());
        assertTrue(run.events.get(0).message().endsWith("-> mono sum as requested (auto would be inverting right)"),
                run.events.get(0).message());
        run.health.request(ChannelStrategy.AUTO);
        run.feedAll(stereo);

        assertEquals(2, run.events.size(), run.log());
        HealthEvent handedBack = run.events.get(1);
        assertEquals(HealthEvent.Kind.STRATEGY, handedBack.kind());
        assertEquals(ChannelStrategy.INVERT_RIGHT, handedBack.action());
        assertEquals("operator returned to auto (state phase_inverted) -> inverting right", handedBack.message());
    }

    /** Audio held while auto decides goes on the way the operator says, once the request applies. */
    @Test
    void forcedStrategyAlsoAppliesToTheAudioHeldForADecision() {
        short[] speech = Stereo.lecture();
        short[] stereo = Stereo.interleave(speech, Stereo.scaled(speech, -1));
        HealthRun run = new HealthRun(RATE, 2);

        run.feedUntil(stereo, 450 * RATE / 1000); // speech from 0.2 s, the sum cancels it: held
        assertTrue(run.repair.heldMs() > 0, "premise: audio is held");
        run.health.request(ChannelStrategy.LEFT);
        run.feedAll(stereo);

        HealthEvent change = run.events.get(0);
        assertEquals(HealthEvent.Kind.STRATEGY, change.kind(), run.log());
        assertEquals(500, change.startMs());
        short[] out = run.output();
        assertEquals(speech.length, out.length);
        int from = (int) ((Stereo.onsetMs(speech) + AudioHealth.PIECE_MS + 20) * RATE / 1000);
        for (int i = from; i < speech.length; i++) {
            assertEquals(speech[i], out[i], "left only, held audio included, sample " + i);
        }
    }

    @Test
    void unknownStrategyNamesTheValidOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChannelStrategy.parse("mono"));
        assertEquals("unknown channel strategy \"mono\"; valid: auto, sum, left, right, invert-right, swap",
                e.getMessage());
        assertEquals(ChannelStrategy.INVERT_RIGHT, ChannelStrategy.parse(" Invert-Right "));
    }
}
