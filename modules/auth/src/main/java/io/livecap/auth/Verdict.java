package io.livecap.auth;

/**
 * The answer of {@link Authenticator#check}: allowed (with the grant that allowed it, null for an open resource or
 * when auth is off), or refused with an HTTP status (401: no or unknown credential, 403: the wrong role) and why.
 */
public record Verdict(Grant grant, int status, String code, String reason) {

    public static Verdict allow(Grant grant) {
        return new Verdict(grant, 200, null, null);
    }

    public static Verdict unauthenticated(String reason) {
        return new Verdict(null, 401, "unauthorized", reason);
    }

    public static Verdict forbidden(Grant grant, String reason) {
        return new Verdict(grant, 403, "forbidden", reason);
    }

    public boolean allowed() {
        return status == 200;
    }
}
