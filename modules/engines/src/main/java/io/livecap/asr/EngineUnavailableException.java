package io.livecap.asr;

/** An engine cannot start here: its library or model is missing. The message says what to install or fetch. */
public class EngineUnavailableException extends RuntimeException {

    public EngineUnavailableException(String message) {
        super(message);
    }

    public EngineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
