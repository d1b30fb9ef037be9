package io.livecap.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Mints, checks and revokes credentials. A secret is {@code lc_} + 32 random bytes (256 bits, base64url); only its
 * SHA-256 is stored. A fast unsalted hash is enough because the secrets are random, not chosen by people: there is
 * no dictionary to try and 2^256 guesses are out of reach, so a slow password hash (bcrypt, argon2) would only add
 * latency to every request, while a stolen table still yields no usable secret. The hash doubles as the lookup key.
 */
public final class Authenticator {

    private static final String PREFIX = "lc_";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final CredentialStore store;
    private final boolean enabled;
    private final Clock clock;
    private final List<Consumer<String>> revokeListeners = new CopyOnWriteArrayList<>();

    /** @param enabled false = lab mode: every check passes (the node warns loudly when it starts so) */
    public Authenticator(CredentialStore store, boolean enabled, Clock clock) {
        this.store = store;
        this.enabled = enabled;
        this.clock = clock;
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Whether {@code secret} (null when none was presented) may act as {@code needed} on {@code stream}.
     * {@code needed} null means any valid credential will do.
     */
    public Verdict check(String secret, Role needed, String stream) {
        if (!enabled) {
            return Verdict.allow(null);
        }
        if (secret == null || secret.isBlank()) {
            return Verdict.unauthenticated("a credential is required: send Authorization: Bearer <key> or ?token=<key>");
        }
        Optional<Grant> grant = identify(secret);
        if (grant.isEmpty()) {
            return Verdict.unauthenticated("unknown or revoked credential");
        }
        if (needed != null && !grant.get().permits(needed, stream)) {
            return Verdict.forbidden(grant.get(), "this credential (" + describe(grant.get()) + ") may not do this: it needs role "
                    + needed.wireName() + (stream == null ? "" : " on stream " + stream));
        }
        return Verdict.allow(grant.get());
    }

    public Optional<Grant> identify(String secret) {
        if (secret == null || !secret.startsWith(PREFIX)) {
            return Optional.empty();
        }
        return store.findByHash(hash(secret));
    }

    /**
     * A new credential: an API key ({@code streamId} null) of any role, or a stream token (publish = ingest,
     * read = captions-read) for one stream.
     */
    public Minted mint(Role role, String streamId, String label) {
        if (streamId != null && role != Role.INGEST && role != Role.CAPTIONS_READ) {
            throw new IllegalArgumentException("a stream token is ingest (publish) or captions-read (read), not "
                    + role.wireName());
        }
        byte[] random = new byte[32];
        RANDOM.nextBytes(random);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        byte[] idBytes = new byte[9];
        RANDOM.nextBytes(idBytes);
        // the id names a credential in lists and DELETE; it is not derived from the secret
        String id = (streamId == null ? "key_" : "tok_") + Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        Grant grant = new Grant(id, role, streamId, label, clock.instant());
        store.save(grant, hash(secret));
        return new Minted(grant, secret);
    }

    public List<Grant> list() {
        return store.list();
    }

    public Optional<Grant> find(String id) {
        return store.find(id);
    }

    /** Revokes and tells the listeners (the server closes the sockets the credential opened). */
    public boolean revoke(String id) {
        boolean revoked = store.revoke(id);
        if (revoked) {
            revokeListeners.forEach(listener -> listener.accept(id));
        }
        return revoked;
    }

    public void onRevoke(Consumer<String> listener) {
        revokeListeners.add(listener);
    }

    /** Whether any live admin key exists (the first start creates one when none does). */
    public boolean hasAdminKey() {
        return store.list().stream().anyMatch(g -> g.role() == Role.ADMIN && !g.isStreamToken());
    }

    static String describe(Grant grant) {
        return grant.isStreamToken() ? grant.role().wireName() + " token for stream " + grant.streamId()
                : grant.role().wireName() + " key";
    }

    static String hash(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
