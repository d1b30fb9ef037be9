package io.livecap.reach;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * A credential (a KS, a task's access key, a media key or caption token). Its {@code toString} never shows the
 * value, so a secret that ends up in a log line or an exception message by accident stays secret.
 */
public final class Secret {

    private final String value;

    private Secret(String value) {
        this.value = value;
    }

    public static Secret of(String value) {
        Objects.requireNonNull(value, "secret");
        if (value.isBlank()) {
            throw new IllegalArgumentException("a secret cannot be blank");
        }
        return new Secret(value);
    }

    /** The value, for the one place that must send it. */
    public String reveal() {
        return value;
    }

    /** {@code text} with every occurrence of this secret replaced by {@code ***}. */
    public String scrub(String text) {
        return text == null ? null : text.replace(value, "***");
    }

    @Override
    public boolean equals(Object other) {
        // constant time: the sandbox compares presented keys with this
        return other instanceof Secret secret && MessageDigest.isEqual(
                value.getBytes(StandardCharsets.UTF_8), secret.value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return "***";
    }
}
