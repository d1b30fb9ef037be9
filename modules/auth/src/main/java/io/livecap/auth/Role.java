package io.livecap.auth;

import java.util.Locale;

/** What a credential may do. Admin implies every other role; the others imply nothing but themselves. */
public enum Role {
    /** Mint and revoke tokens and keys; everything the other roles do. */
    ADMIN("admin"),
    /** Start and stop pulls, set channel strategies, read stream lists, health, timing (and /metrics when protected). */
    OPERATOR("operator"),
    /** Push audio to /v1/ingest/{id} and use /v1/vosk. */
    INGEST("ingest"),
    /** Subscribe to /v1/captions/{id}, replay included. */
    CAPTIONS_READ("captions-read");

    private final String wireName;

    Role(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Role parse(String name) {
        for (Role role : values()) {
            if (role.wireName.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return role;
            }
        }
        throw new IllegalArgumentException("role must be admin, operator, ingest or captions-read, got " + name);
    }
}
