package io.livecap.asr.pocketsphinx;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecodingSlotsTest {

    @Test
    void aStreamWaitsWhileEveryTurnIsTakenAndGoesOnWhenOneEnds() throws Exception {
        DecodingSlots slots = new DecodingSlots(1);
        slots.enter();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> {
            slots.enter();
            slots.exit();
        });
        awaitTrue(() -> slots.waiting() == 1);
        assertFalse(second.isDone(), "the second stream decoded while the only turn was taken");
        slots.exit();
        second.get(10, TimeUnit.SECONDS);
        assertEquals(0, slots.waiting());
        assertEquals(1, slots.mostAtOnce());
    }

    @Test
    void asManyStreamsAsTurnsDecodeTogether() throws Exception {
        DecodingSlots slots = new DecodingSlots(2);
        slots.enter();
        CompletableFuture.runAsync(() -> {
            slots.enter(); // the second turn is free: no wait
            slots.exit();
        }).get(10, TimeUnit.SECONDS);
        slots.exit();
        assertEquals(2, slots.mostAtOnce());
    }

    @Test
    void theSettingIsZeroForOnePerCoreOrAPositiveCount() {
        assertEquals(Runtime.getRuntime().availableProcessors(), PocketsphinxProvider.threads("0"));
        assertEquals(3, PocketsphinxProvider.threads(" 3 "));
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> PocketsphinxProvider.threads("-1"));
        assertTrue(negative.getMessage().contains("engine.pocketsphinx_threads"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PocketsphinxProvider.threads("two"));
        assertThrows(IllegalArgumentException.class, () -> new DecodingSlots(0));
    }

    /** Polls a condition another thread makes true (a queued thread shows up only once it is parked). */
    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not reached in 10 s");
            Thread.sleep(1);
        }
    }
}
