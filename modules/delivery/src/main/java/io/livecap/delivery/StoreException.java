package io.livecap.delivery;

/** The database failed; the message names what was being stored or read. */
public class StoreException extends RuntimeException {

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
