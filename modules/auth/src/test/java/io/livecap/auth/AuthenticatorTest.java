package io.livecap.auth;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AuthenticatorTest {

    /** The port held in a map, to see exactly what an implementation is given. */
    private static final class MapStore implements CredentialStore {
        final Map<String, Grant> byHash = new HashMap<>();
        final List<String> revoked = new ArrayList<>();

        @Override
        public void save(Grant grant, String secretHash) {
            byHash.put(secretHash, grant);
        }

        @Override
        public Optional<Grant> findByHash(String secretHash) {
            return Optional.ofNullable(byHash.get(secretHash)).filter(g -> !revoked.contains(g.id()));
        }

        @Override
        public List<Grant> list() {
            return byHash.values().stream().filter(g -> !revoked.contains(g.id())).toList();
        }

        @Override
        public Optional<Grant> find(String id) {
            return list().stream().filter(g -> g.id().equals(id)).findFirst();
        }

        @Override
        public boolean revoke(String id) {
            return find(id).isPresent() && revoked.add(id);
        }
    }

    private final MapStore store = new MapStore();
    private final Authenticator auth = new Authenticator(store, true, Clock.systemUTC());

    @Test
    void onlyTheHashIsStoredAndTheSecretIsRandom() {
        Minted a = auth.mint(Role.OPERATOR, null, null);
        Minted b = auth.mint(Role.OPERATOR, null, null);
        assertFalse(a.secret().equals(b.secret()));
        assertTrue(store.byHash.containsKey(Authenticator.hash(a.secret())));
        assertFalse(store.byHash.keySet().stream().anyMatch(h -> h.contains(a.secret())));
        assertEquals(64, Authenticator.hash(a.secret()).length(), "SHA-256, hex");
        assertFalse(a.toString().contains(a.secret()), "never in a toString");
    }

    @Test
    void rolesAndStreamScopes() {
        String publish = auth.mint(Role.INGEST, "ev1", null).secret();
        String admin = auth.mint(Role.ADMIN, null, null).secret();
        String reader = auth.mint(Role.CAPTIONS_READ, null, null).secret();
        assertTrue(auth.check(publish, Role.INGEST, "ev1").allowed());
        assertEquals(403, auth.check(publish, Role.INGEST, "ev2").status());
        assertEquals(403, auth.check(publish, Role.INGEST, null).status(), "a stream token is not /v1/vosk");
        assertEquals(403, auth.check(publish, Role.CAPTIONS_READ, "ev1").status());
        assertTrue(auth.check(reader, Role.CAPTIONS_READ, "any").allowed());
        assertEquals(403, auth.check(reader, Role.OPERATOR, null).status());
        for (Role role : Role.values()) {
            assertTrue(auth.check(admin, role, "x").allowed(), "admin implies " + role);
        }
        assertEquals(401, auth.check(null, Role.INGEST, "ev1").status());
        assertEquals(401, auth.check("lc_guess", Role.INGEST, "ev1").status());
        assertThrows(IllegalArgumentException.class, () -> auth.mint(Role.OPERATOR, "ev1", null));
    }

    @Test
    void revokingTellsTheListenersAndRefusesFromThenOn() {
        Minted token = auth.mint(Role.CAPTIONS_READ, "ev1", "viewer");
        List<String> told = new ArrayList<>();
        auth.onRevoke(told::add);
        assertTrue(auth.revoke(token.grant().id()));
        assertFalse(auth.revoke(token.grant().id()), "once");
        assertEquals(List.of(token.grant().id()), told);
        assertEquals(401, auth.check(token.secret(), Role.CAPTIONS_READ, "ev1").status());
    }

    @Test
    void offMeansEveryCheckPasses() {
        Authenticator lab = new Authenticator(store, false, Clock.systemUTC());
        assertTrue(lab.check(null, Role.ADMIN, null).allowed());
    }
}
