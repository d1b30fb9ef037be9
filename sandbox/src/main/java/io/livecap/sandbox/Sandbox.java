package io.livecap.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.security.SecureRandom;
import java.util.Base64;

/** What the sandbox's parts share: the JSON mapper and how credentials are minted. */
final class Sandbox {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();

    private Sandbox() {
    }

    /**
     * A new credential. KS strings look like {@code djJ8...} (base64 of {@code v2|}); these only look the part:
     * the sandbox recognises them by value.
     */
    static String newKs() {
        return "djJ8" + token(36);
    }

    static String token(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
