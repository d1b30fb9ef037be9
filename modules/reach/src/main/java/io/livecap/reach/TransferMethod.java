package io.livecap.reach;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/** How live media reaches the vendor (Kaltura's content transfer method). */
public enum TransferMethod {
    RTMP(1),
    RTMPS(2),
    WEBSOCKET(3);

    private final int code;

    TransferMethod(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The method a media URL implies, read from its scheme ({@code ws}/{@code wss} are websockets). */
    public static Optional<TransferMethod> ofUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "rtmp" -> Optional.of(RTMP);
            case "rtmps" -> Optional.of(RTMPS);
            case "ws", "wss" -> Optional.of(WEBSOCKET);
            default -> Optional.empty();
        };
    }

    public static TransferMethod of(int code) {
        for (TransferMethod method : values()) {
            if (method.code == code) {
                return method;
            }
        }
        throw new IllegalArgumentException("unknown transfer method " + code);
    }
}
