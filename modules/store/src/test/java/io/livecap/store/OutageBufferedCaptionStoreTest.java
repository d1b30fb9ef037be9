package io.livecap.store;

import io.livecap.captions.Caption;
import io.livecap.delivery.CaptionStore;
import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.delivery.StoreException;
import io.livecap.timing.StreamTimeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        /** What was stored, finals and checkpoints, in the order it was. */
        final List<String> order = new ArrayList<>();
        volatile CountDownLatch back = new CountDownLatch(0);

        void reach() {
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
            order.add("final " + fin.seq());
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

    /** Checkpoints in the flaky store: away when it is. */
    private static final class FlakyCheckpoints implements DeliveryCheckpoints {
        private final FlakyStore store;
        private final Map<String, Long> confirmed = new HashMap<>();

        FlakyCheckpoints(FlakyStore store) {
            this.store = store;
        }

        @Override
        public long confirmedSeq(String streamId, String destination) {
            synchronized (store) {
                store.reach();
                return confirmed.getOrDefault(streamId + " " + destination, 0L);
            }
        }

        @Override
        public void confirm(String streamId, String destination, long seq) {
            synchronized (store) {
                store.reach();
                confirmed.merge(streamId + " " + destination, seq, Math::max);
                store.order.add("checkpoint " + seq);
            }
        }
    }

    @Test
    void deliveryCheckpointsNeverWaitAndAreStoredBehindTheFinalsTheyConfirm() throws Exception {
        FlakyStore flaky = new FlakyStore();
        FlakyCheckpoints stored = new FlakyCheckpoints(flaky);
        try (OutageBufferedCaptionStore store = new OutageBufferedCaptionStore(flaky, Duration.ofMillis(500),
                Duration.ofMillis(50), 100)) {
            OutageBufferedDeliveryCheckpoints checkpoints = new OutageBufferedDeliveryCheckpoints(store, stored);
            store.append(fin(1));
            checkpoints.confirm("s", "ws://kaltura", 1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (flaky.order.size() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(20); // polling a condition with a deadline
            }
            assertEquals(List.of("final 1", "checkpoint 1"), flaky.order);

            flaky.back = new CountDownLatch(1); // away
            store.append(fin(2)); // waits its half second, then the store counts as away
            long t0 = System.nanoTime();
            checkpoints.confirm("s", "ws://kaltura", 2);
            store.append(fin(3));
            checkpoints.confirm("s", "ws://kaltura", 3);
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertTrue(tookMs < 400, "a checkpoint does not wait for an absent store: " + tookMs + " ms");
            assertEquals("away", store.health().get("status"));
            assertEquals(3L, checkpoints.confirmedSeq("s", "ws://kaltura"), "the queued checkpoint counts");
            assertThrows(StoreException.class, () -> checkpoints.confirmedSeq("s", "ws://other"),
                    "nothing queued for it: fails fast rather than guess");
            // a push catching up after its last stored final needs no store: the rest is in memory
            assertEquals(List.of(2L, 3L), store.finalsAfter("s", 1).stream().map(Caption::seq).toList());

            flaky.back.countDown(); // back
            awaitStatus(store, "ok");
            assertEquals(List.of("final 1", "checkpoint 1", "final 2", "checkpoint 2", "final 3", "checkpoint 3"),
                    flaky.order, "once each, in the order asked: no checkpoint ahead of its final");
            assertEquals(3L, checkpoints.confirmedSeq("s", "ws://kaltura"));
            assertEquals(0L, store.health().get("lost_writes"));
        }
    }

    private static void awaitStatus(OutageBufferedCaptionStore store, String status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!status.equals(store.health().get("status")) && System.nanoTime() < deadline) {
            Thread.sleep(20); // polling a condition with a deadline
        }
        assertEquals(status, store.health().get("status"), store.health().toString());
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
