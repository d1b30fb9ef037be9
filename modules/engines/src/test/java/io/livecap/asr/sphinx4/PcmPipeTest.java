package io.livecap.asr.sphinx4;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PcmPipeTest {

    @Test
    void moreAudioThanFitsArrivesWholeAndInOrderAsLittleEndianThenEnds() throws Exception {
        PcmPipe pipe = new PcmPipe(3);
        short[] samples = {1, -2, 300, -400, 5000, -6000, 32767, -32768, 9, 10};
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                pipe.write(samples, samples.length); // blocks until the reader makes room
                pipe.end();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        ByteArrayOutputStream read = new ByteArrayOutputStream();
        byte[] buffer = new byte[4];
        int n;
        while ((n = pipe.read(buffer, 0, buffer.length)) >= 0) {
            read.write(buffer, 0, n);
        }
        writer.get();
        byte[] expected = new byte[samples.length * 2];
        for (int i = 0; i < samples.length; i++) {
            expected[2 * i] = (byte) samples[i];
            expected[2 * i + 1] = (byte) (samples[i] >> 8);
        }
        assertArrayEquals(expected, read.toByteArray());
    }

    @Test
    void abortFailsAWriterWaitingForRoomAndEndsTheReader() {
        PcmPipe pipe = new PcmPipe(1);
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
            try {
                pipe.write(new short[] {1, 2}, 2); // the second sample never fits
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        pipe.abort();
        ExecutionException failure = assertThrows(ExecutionException.class, writer::get);
        assertInstanceOf(IllegalStateException.class, failure.getCause());
        assertEquals(-1, pipe.read(new byte[2], 0, 2), "an aborted pipe reads as ended, queued audio or not");
    }

    @Test
    void audioAfterTheEndIsRefused() {
        PcmPipe pipe = new PcmPipe(4);
        pipe.end();
        assertThrows(IllegalStateException.class, () -> pipe.write(new short[] {1}, 1));
    }
}
