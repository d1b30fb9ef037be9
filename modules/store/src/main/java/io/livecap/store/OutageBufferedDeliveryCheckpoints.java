package io.livecap.store;

import io.livecap.delivery.DeliveryCheckpoints;
import io.livecap.delivery.StoreException;

import java.time.Instant;

/**
 * {@link DeliveryCheckpoints} that ride out a store outage with the captions: each confirm goes into the queue of
 * the stream's {@link OutageBufferedCaptionStore}, behind the finals it confirms (so a checkpoint is never stored
 * ahead of them, and the order of the push is kept), and returns at once whether the store answers or not; the
 * writer stores it, in order, when it can. The push to Kaltura therefore never waits for the store. A checkpoint
 * lost with the process (it was still in memory) costs only a resend of finals Kaltura already had, which is the
 * pusher's documented residual risk anyway.
 */
public final class OutageBufferedDeliveryCheckpoints implements DeliveryCheckpoints {

    private final OutageBufferedCaptionStore writes;
    private final DeliveryCheckpoints store;

    public OutageBufferedDeliveryCheckpoints(OutageBufferedCaptionStore writes, DeliveryCheckpoints store) {
        this.writes = writes;
        this.store = store;
    }

    /** The queued checkpoint if there is one (it is newer than the stored one); fails fast while the store is away. */
    @Override
    public long confirmedSeq(String streamId, String destination) {
        long pending = writes.pendingCheckpoint(streamId, destination);
        Instant away = writes.awaySince();
        if (away != null) {
            if (pending == 0) {
                throw new StoreException("the store is not answering (since " + away + "); cannot read the delivery"
                        + " checkpoint of stream " + streamId, null);
            }
            return pending;
        }
        return Math.max(pending, store.confirmedSeq(streamId, destination));
    }

    @Override
    public void confirm(String streamId, String destination, long seq) {
        writes.confirmLater(streamId, destination, seq, store);
    }
}
