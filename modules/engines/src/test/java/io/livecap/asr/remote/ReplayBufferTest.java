package io.livecap.asr.remote;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayBufferTest {

    private static short[] ramp(int from, int length) {
        short[] samples = new short[length];
        for (int i = 0; i < length; i++) {
            samples[i] = (short) (from + i);
        }
        return samples;
    }

    @Test
    void theReplayIsTheHeldAudioCutIntoPiecesOfTheGivenSize() {
        ReplayBuffer buffer = new ReplayBuffer(10_000);
        for (int i = 0; i < 10; i++) {
            buffer.append(ramp(i * 160, 160), 160); // 10 ms chunks, as a feeder might send them
        }
        buffer.settleBefore(100); // a final ended at sample 100

        List<short[]> pieces = buffer.chunks(600);
        assertEquals(List.of(600, 600, 300), pieces.stream().map(p -> p.length).toList());
        short[] joined = new short[1500];
        int at = 0;
        for (short[] piece : pieces) {
            System.arraycopy(piece, 0, joined, at, piece.length);
            at += piece.length;
        }
        assertArrayEquals(ramp(100, 1500), joined, "every held sample once, in order");
        assertEquals(100, buffer.startSample());
    }

    @Test
    void aLargeChunkIsCutAndAnEmptyBufferGivesNothing() {
        ReplayBuffer buffer = new ReplayBuffer(10_000);
        assertTrue(buffer.chunks(100).isEmpty());
        buffer.append(ramp(0, 250), 250);
        List<short[]> pieces = buffer.chunks(100);
        assertEquals(List.of(100, 100, 50), pieces.stream().map(p -> p.length).toList());
        assertArrayEquals(ramp(200, 50), pieces.get(2));
        assertThrows(IllegalArgumentException.class, () -> buffer.chunks(0));
    }

    @Test
    void theBoundDropsTheOldestAudioAndCountsIt() {
        ReplayBuffer buffer = new ReplayBuffer(300);
        buffer.append(ramp(0, 200), 200);
        buffer.append(ramp(200, 200), 200);

        assertEquals(300, buffer.heldSamples());
        assertEquals(100, buffer.droppedSamples());
        assertArrayEquals(ramp(100, 300), buffer.chunks(1000).get(0));
    }
}
