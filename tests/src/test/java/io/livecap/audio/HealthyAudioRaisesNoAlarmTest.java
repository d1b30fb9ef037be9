package io.livecap.audio;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.livecap.testkit.HeldOutSpeech;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static io.livecap.audio.Stereo.RATE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** A monitor that cries wolf gets switched off: healthy programme must give the initial state and nothing else. */
class HealthyAudioRaisesNoAlarmTest {

    private static final int MINUTE = 60 * RATE;

    static Stream<Arguments> healthyFeeds() {
        return Stream.of(
                feed("dual mono speech", 2, HealthState.OK, () -> {
                    short[] speech = Stereo.lecture();
                    return Stereo.interleave(speech, speech);
                }),
                feed("stereo speech: -7 dB apart, 0.3 ms delay, independent noise", 2, HealthState.OK, () -> {
                    short[] speech = Stereo.lecture();
                    return Stereo.interleave(
                            Stereo.plus(Stereo.scaled(speech, 0.9), Stereo.noise(speech.length, -65, 1)),
                            Stereo.plus(Stereo.scaled(Stereo.delayed(speech, 5), 0.4), Stereo.noise(speech.length, -65, 2)));
                }),
                feed("wide music: a different chord on each side", 2, HealthState.OK, () -> Stereo.interleave(
                        Stereo.chord(MINUTE, -20, 261.63, 329.63, 392.00),
                        Stereo.chord(MINUTE, -20, 220.00, 277.18, 349.23))),
                feed("wide music: decorrelated noise-like channels", 2, HealthState.OK, () -> Stereo.interleave(
                        Stereo.noise(MINUTE, -20, 3), Stereo.noise(MINUTE, -20, 4))),
                feed("pure digital silence", 2, HealthState.SILENCE, () -> new short[2 * MINUTE]),
                feed("room tone: independent hiss at -75 dBFS", 2, HealthState.SILENCE, () -> Stereo.interleave(
                        Stereo.noise(MINUTE, -75, 5), Stereo.noise(MINUTE, -75, 6))),
                feed("mono source (one channel)", 1, HealthState.MONO_SOURCE, Stereo::lecture),
                feed("interview: one microphone per speaker, 0.4 s between turns", 2, HealthState.OK,
                        () -> interview(0)),
                feed("interview: one microphone per speaker, turns overlapping by 0.8 s", 2, HealthState.OK,
                        () -> interview(800)));
    }

    /** The held-out two-speaker interview, repeated until it lasts a minute. */
    private static short[] interview(int overlapMs) {
        try {
            HeldOutSpeech speech = HeldOutSpeech.interview(Files.createTempDirectory("interview"), overlapMs);
            short[] once = speech.interleaved();
            int times = (2 * MINUTE + once.length - 1) / once.length;
            short[] repeated = new short[times * once.length];
            for (int k = 0; k < times; k++) {
                System.arraycopy(once, 0, repeated, k * once.length, once.length);
            }
            return repeated;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static Arguments feed(String name, int channels, HealthState expected, Supplier<short[]> pcm) {
        return arguments(name, channels, expected, pcm);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("healthyFeeds")
    void healthyFeedGivesOnlyItsInitialState(String name, int channels, HealthState expected, Supplier<short[]> pcm) {
        short[] audio = pcm.get();
        assertTrue(audio.length / channels >= MINUTE, "at least 60 s");

        HealthRun run = new HealthRun(RATE, channels).feedAll(audio);

        assertEquals(1, run.events.size(), name + ": " + run.log());
        HealthEvent initial = run.events.get(0);
        System.out.printf("%s: %d ms: %s%n", name, initial.startMs(), initial.message());
        assertEquals(expected, initial.state(), run.log());
        assertEquals(ChannelStrategy.SUM, run.health.effectiveStrategy());
        short[] sum = new ChannelMixer(channels, RATE).mix(audio, audio.length / channels, ChannelStrategy.SUM);
        assertArrayEquals(sum, run.output(), "nothing dropped: the output is the plain sum, sample for sample");
        System.out.printf("%s: at most %d ms held back%n", name, run.maxHeldMs());
        HealthSnapshot snapshot = run.health.snapshot();
        assertEquals(expected, snapshot.state());
        assertEquals(1, snapshot.count(HealthEvent.Kind.of(expected)));
        assertEquals(1, snapshot.eventCounts().size(), snapshot.eventCounts().toString());
    }
}
