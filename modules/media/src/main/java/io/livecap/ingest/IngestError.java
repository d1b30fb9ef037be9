package io.livecap.ingest;

/**
 * Bad input on an ingest stream. {@code code} is the machine-readable code sent to the client,
 * {@code closeStatus} the websocket close status that ends the stream (RFC 6455 section 7.4.1).
 */
public class IngestError extends RuntimeException {

    public static final int UNSUPPORTED_DATA = 1003;
    public static final int INVALID_PAYLOAD = 1007;
    public static final int POLICY = 1008;
    public static final int TOO_BIG = 1009;
    public static final int INTERNAL = 1011;

    private final String code;
    private final int closeStatus;

    public IngestError(String code, int closeStatus, String message) {
        super(message);
        this.code = code;
        this.closeStatus = closeStatus;
    }

    public String code() {
        return code;
    }

    public int closeStatus() {
        return closeStatus;
    }
}
