package io.livecap.store;

import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.StoreException;
import io.livecap.timing.StreamTimeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store goes away: writes stop blocking after the first one waited its second, are kept in order, and are
 * written once each when it is back; reads fail fast meanwhile; health says what happened.
 */
class OutageBufferedCaptionStoreTest {

    /** A store that can be away: its writes then fail as a pool's would, after a while. */
    private static final class FlakyStore implements CaptionStore {
        final List<Caption> finals = new ArrayList<>();
        final List<Long> issued = new ArrayList<>();
        volatile CountDownLatch back = new CountDownLatch(0);

        private void reach() {
            try {
                if (!back.await(200, TimeUnit.MILLISECONDS)) {
                    throw new StoreException("connection refused", null);
                }
            } catch (InterruptedException e) {
                throw new StoreException("interrupted", e);
            }
        }

        @Override
        public synchronized void append(Caption fin) {
            reach();
            finals.add(fin);
        }

        @Override
        public synchronized List<Caption> finalsAfter(String streamId, long afterSeq) {
            reach();
            return finals.stream().filter(c -> c.seq() > afterSeq).toList();
        }

        @Override
        public synchronized void issued(String streamId, long seq) {
            reach();
            issued.add(seq);
        }

        @Override
        public long lastSeq(String streamId) {
            reach();
            return 0;
        }

        @Override
        public StreamTimeline timeline(String streamId) {
            reach();
            return StreamTimeline.FIRST;
        }

        @Override
        public void saveTimeline(String streamId, StreamTimeline timeline) {
            reach();
        }
    }

    private static Caption fin(long seq) {
        return new Caption("s", seq, true, seq, "word " + seq, List.of("word " + seq), seq * 100, seq * 100 + 90,
                0, 0, List.of(), "en-US");
    }

    @Test
    void writesWaitInMemoryWhileTheStoreIsAwayAndAreStoredOnceInOrderWhenItIsBack() throws Exception {
        FlakyStore flaky = new FlakyStore();
        try (OutageBufferedCaptionStore store = new OutageBufferedCaptionStore(flaky, Duration.ofMillis(500),
                Duration.ofMillis(50), 100)) {
            store.append(fin(1));
            assertEquals(1, flaky.finals.size(), "committed before append returned, while the store answers");
            assertEquals("ok", store.health().get("status"));

            flaky.back = new CountDownLatch(1); // away
            long t0 = System.nanoTime();
            store.append(fin(2)); // waits its half second, then the store counts as away
            store.issued("s", 3);
            store.append(fin(4));
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(tookMs < 5_000, "later writes do not wait for an absent store: " + tookMs + " ms");
            assertEquals("away", store.health().get("status"), store.health().toString());
            assertEquals(4L, store.lastSeq("s"), "the last seq counts what is kept in memory");
            assertThrows(StoreException.class, () -> store.finalsAfter("s", 0), "reads fail fast while away");

            flaky.back.countDown(); // back
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"ok".equals(store.health().get("status")) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling a condition with a deadline
            }
            assertEquals("ok", store.health().get("status"), store.health().toString());
            assertEquals(List.of(1L, 2L, 4L), flaky.finals.stream().map(Caption::seq).toList(), "once each, in order");
            assertEquals(List.of(3L), flaky.issued);
            assertEquals(1L, store.health().get("outages"));
            assertEquals(0L, store.health().get("lost_writes"));
            assertEquals(0, store.health().get("buffered_writes"));
            assertEquals(List.of(1L, 2L, 4L), store.finalsAfter("s", 0).stream().map(Caption::seq).toList());
        }
    }

    @Test
    void pastItsCapacityTheOldestWriteIsDroppedAndCountedAsLost() throws Exception {
        FlakyStore flaky = new FlakyStore();
        flaky.back = new CountDownLatch(1);
        try (OutageBufferedCaptionStore store = new OutageBufferedCaptionStore(flaky, Duration.ofMillis(100),
                Duration.ofMillis(50), 3)) {
            for (long seq = 1; seq <= 6; seq++) {
                store.append(fin(seq));
            }
            assertTrue((long) store.health().get("lost_writes") >= 2, store.health().toString());
            flaky.back.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!"ok".equals(store.health().get("status")) && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling a condition with a deadline
            }
            List<Long> stored = flaky.finals.stream().map(Caption::seq).toList();
            assertEquals(List.of(4L, 5L, 6L), stored.subList(stored.size() - 3, stored.size()), "the newest kept");
        }
    }
}
