package io.livecap.delivery;

/**
 * How a push to a {@code captionUrl} ended.
 *
 * @param confirmedSeq the highest seq the destination confirmed
 * @param connections  how many connections were opened
 * @param detail       why it ended, for the operator (never holds the token)
 */
public record PushResult(String streamId, Outcome outcome, long confirmedSeq, int connections, String detail) {

    public enum Outcome {
        /** eos was sent and confirmed: the destination has every caption. */
        DELIVERED,
        /** stopped (deadline, close) before eos was confirmed; a new push resumes after {@code confirmedSeq}. */
        INCOMPLETE,
        /** the destination refused the connection (close 1008, or HTTP 401/403): retrying cannot help. */
        REFUSED
    }
}
