package io.livecap.asr.sphinx4;

import java.io.InputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between a stream's feeding thread, which pushes samples, and its sphinx4 decoder thread, which
 * pulls them as the little-endian byte stream sphinx4's {@code StreamDataSource} reads. A full pipe blocks the
 * feeder (back-pressure instead of unbounded memory when decoding falls behind).
 */
final class PcmPipe extends InputStream {

    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final Condition writable = lock.newCondition();
    private int head;
    private int size;
    private boolean ended;
    private boolean aborted;

    PcmPipe(int capacitySamples) {
        ring = new byte[capacitySamples * 2];
    }

    /** Queues samples, waiting while the pipe is full. */
    void write(short[] samples, int length) throws InterruptedException {
        lock.lock();
        try {
            if (ended) {
                throw new IllegalStateException("audio written after its end");
            }
            int written = 0;
            while (written < length) {
                while (ring.length - size < 2 && !aborted) {
                    writable.await();
                }
                if (aborted) {
                    throw new IllegalStateException("the sphinx4 decoder has stopped reading audio");
                }
                int count = Math.min(length - written, (ring.length - size) / 2);
                for (int i = 0; i < count; i++) {
                    short sample = samples[written + i];
                    put((byte) sample);
                    put((byte) (sample >> 8));
                }
                written += count;
                readable.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    private void put(byte b) {
        ring[(head + size) % ring.length] = b;
        size++;
    }

    /** No more audio: the reader gets what is queued, then end of stream. */
    void end() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Stops both sides now: the reader sees end of stream at once, a waiting writer fails. */
    void abort() {
        lock.lock();
        try {
            aborted = true;
            readable.signalAll();
            writable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read(byte[] buffer, int offset, int length) {
        if (length == 0) {
            return 0;
        }
        lock.lock();
        try {
            while (size == 0 && !ended && !aborted) {
                readable.awaitUninterruptibly();
            }
            if (aborted || size == 0) {
                return -1;
            }
            int count = Math.min(length, size);
            for (int i = 0; i < count; i++) {
                buffer[offset + i] = ring[head];
                head = (head + 1) % ring.length;
            }
            size -= count;
            writable.signal();
            return count;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    /** sphinx4 closes its input at end of stream; from then on nobody reads, so writers must fail, not wait. */
    @Override
    public void close() {
        abort();
    }
}
