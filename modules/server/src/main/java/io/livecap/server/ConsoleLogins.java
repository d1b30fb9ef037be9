package io.livecap.server;

import io.livecap.auth.Authenticator;
import io.livecap.auth.Role;
import io.livecap.auth.Verdict;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console logins: a browser cannot put a Bearer header on a page load, so the login form trades an operator (or
 * admin) key for a random session id kept in an HttpOnly, SameSite=Strict cookie. The id maps, in memory only, to
 * the key, and every request with the cookie is checked with that key as if it had sent it: revoking the key ends
 * its console sessions at once, and a restart ends them all.
 */
final class ConsoleLogins {

    static final String COOKIE = "livecap_console";
    static final Duration LIFETIME = Duration.ofHours(12);
    private static final int MAX_LOGINS = 1_000;

    private record Login(String secret, long expiresAtMs) {
    }

    private final Authenticator authenticator;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Login> logins = new ConcurrentHashMap<>();

    ConsoleLogins(Authenticator authenticator) {
        this.authenticator = authenticator;
    }

    /** A new session id for {@code secret} if it is an operator's (or admin's) key; the refusal otherwise. */
    Verdict login(String secret, StringBuilder sessionId) {
        Verdict verdict = authenticator.check(secret, Role.OPERATOR, null);
        if (!verdict.allowed()) {
            return verdict;
        }
        long now = System.currentTimeMillis();
        logins.values().removeIf(l -> l.expiresAtMs() < now);
        if (logins.size() >= MAX_LOGINS) {
            Iterator<String> oldest = logins.keySet().iterator();
            oldest.next();
            oldest.remove();
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        logins.put(id, new Login(secret == null ? "" : secret, now + LIFETIME.toMillis()));
        sessionId.append(id);
        return verdict;
    }

    void logout(String sessionId) {
        if (sessionId != null) {
            logins.remove(sessionId);
        }
    }

    /** The key behind a live console session id. */
    Optional<String> secret(String sessionId) {
        Login login = sessionId == null ? null : logins.get(sessionId);
        if (login == null || login.expiresAtMs() < System.currentTimeMillis()) {
            return Optional.empty();
        }
        return Optional.of(login.secret());
    }

    /** The session id in a {@code Cookie} header, if any. */
    static String sessionId(String cookieHeader) {
        if (cookieHeader == null) {
            return null;
        }
        for (String part : cookieHeader.split(";")) {
            String p = part.trim();
            if (p.startsWith(COOKIE + "=")) {
                return p.substring(COOKIE.length() + 1);
            }
        }
        return null;
    }
}
