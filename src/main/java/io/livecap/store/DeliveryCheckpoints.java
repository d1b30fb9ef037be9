package io.livecap.store;

/**
 * How far each push of a stream's captions got: the highest seq its destination confirmed receiving. A push that
 * reconnects, or starts again after a livecap restart, resends only the finals after it. Implementations are
 * thread-safe.
 */
public interface DeliveryCheckpoints {

    /** The highest seq of {@code streamId} that {@code destination} confirmed, or 0. */
    long confirmedSeq(String streamId, String destination);

    /** {@code destination} confirmed every message of {@code streamId} up to {@code seq}; a lower seq changes nothing. */
    void confirm(String streamId, String destination, long seq);
}
