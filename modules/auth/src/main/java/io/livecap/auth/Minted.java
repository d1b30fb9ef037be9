package io.livecap.auth;

/** A grant just created and its secret: the only moment the secret exists outside its holder. */
public record Minted(Grant grant, String secret) {

    @Override
    public String toString() {
        return "Minted[" + grant + "]"; // never the secret
    }
}
