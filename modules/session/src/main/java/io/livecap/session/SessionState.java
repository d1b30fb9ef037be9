package io.livecap.session;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where a {@link StreamSession} is: starting until its worker runs, live while it takes audio, then ended or failed. */
public enum SessionState {
    STARTING, LIVE, ENDED, FAILED;

    /** As the streams API shows it: {@code live}, ... */
    @JsonValue
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return wireName();
    }
}
