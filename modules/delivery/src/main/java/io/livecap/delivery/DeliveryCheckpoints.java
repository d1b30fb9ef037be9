package io.livecap.delivery;

/**
 * How far each push of a stream's captions got: the seq of the last final its destination confirmed receiving. A
 * push that starts again after a livecap restart resends only the finals after it. (A final's seq, not a partial's:
 * a restarted feed numbers on from its last stored final, so the seqs of partials after it are given out again.)
 * Implementations are thread-safe.
 */
public interface DeliveryCheckpoints {

    /** The seq of the last final of {@code streamId} that {@code destination} confirmed, or 0. */
    long confirmedSeq(String streamId, String destination);

    /** {@code destination} confirmed every final of {@code streamId} up to {@code seq}; a lower seq changes nothing. */
    void confirm(String streamId, String destination, long seq);
}
