package io.livecap.auth;

import java.util.List;
import java.util.Optional;

/** Where grants are kept, by the hash of their secret (the secret itself is never stored). */
public interface CredentialStore {

    void save(Grant grant, String secretHash);

    /** The live (not revoked) grant whose secret hashes to {@code secretHash}. */
    Optional<Grant> findByHash(String secretHash);

    /** Live grants, oldest first. */
    List<Grant> list();

    Optional<Grant> find(String id);

    /** Marks a grant revoked; false when there was no live grant with that id. */
    boolean revoke(String id);
}
