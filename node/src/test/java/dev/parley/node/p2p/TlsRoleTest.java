package dev.parley.node.p2p;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.parley.common.identity.IdentityKeys;
import java.security.KeyPairGenerator;
import org.junit.jupiter.api.Test;

/** Both ends of a punched connection agree on who is the TLS client, and a key cannot face itself. */
class TlsRoleTest {
    @Test
    void theLowerFingerprintIsTheClientAndBothEndsAgree() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance(IdentityKeys.ALGORITHM);
        for (int i = 0; i < 20; i++) {
            String a = IdentityKeys.fingerprint(generator.generateKeyPair().getPublic());
            String b = IdentityKeys.fingerprint(generator.generateKeyPair().getPublic());
            TlsRole forA = TlsRole.of(a, b);
            TlsRole forB = TlsRole.of(b, a);
            assertNotEquals(forA, forB, "exactly one end is the client");
            assertEquals(a.compareTo(b) < 0 ? TlsRole.CLIENT : TlsRole.SERVER, forA);
        }
        assertEquals(TlsRole.CLIENT, TlsRole.of("SHA256:AAAA", "SHA256:AAAB"));
        assertEquals(TlsRole.SERVER, TlsRole.of("SHA256:AAAB", "SHA256:AAAA"));
    }

    @Test
    void equalKeysAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> TlsRole.of("SHA256:same", "SHA256:same"));
    }
}
