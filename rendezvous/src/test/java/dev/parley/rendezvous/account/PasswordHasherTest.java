package dev.parley.rendezvous.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHasherTest {
    private final PasswordHasher hasher = new PasswordHasher(PasswordHasher.OWASP_MEMORY_KIB, PasswordHasher.OWASP_ITERATIONS);

    @Test
    void hashesAreSaltedArgon2idAndVerify() {
        String a = hasher.hash("falcon*solo");
        String b = hasher.hash("falcon*solo");
        assertTrue(a.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), a);
        assertNotEquals(a, b, "salted");
        assertFalse(a.contains("falcon"));
        assertTrue(hasher.verify("falcon*solo", a));
        assertFalse(hasher.verify("falcon*sol0", a));
    }

    @Test
    void theCostIsConfigurableAndOldHashesStillVerify() {
        String strong = hasher.hash("falcon*solo");
        PasswordHasher cheap = new PasswordHasher(PasswordHasher.MIN_MEMORY_KIB, 1);
        String weak = cheap.hash("falcon*solo");
        assertTrue(weak.startsWith("$argon2id$v=19$m=1024,t=1,p=1$"), weak);
        assertTrue(cheap.verify("falcon*solo", strong), "parameters come from the stored hash");
        assertTrue(hasher.verify("falcon*solo", weak));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(512, 1));
        assertThrows(IllegalArgumentException.class, () -> new PasswordHasher(PasswordHasher.MIN_MEMORY_KIB, 0));
    }

    @Test
    void garbageHashesNeverVerify() {
        assertFalse(hasher.verify("x", ""));
        assertFalse(hasher.verify("x", "$2a$10$bcrypt"));
        assertFalse(hasher.verify("x", "$argon2id$v=19$m=a,t=2,p=1$AAAA$AAAA"));
        assertFalse(hasher.verify("x", "$argon2id$v=19$q=1,t=2,p=1$AAAA$AAAA"));
        assertFalse(hasher.verify("x", "$argon2id$v=19$m=19456,t=2,p=1$!!$AAAA"));
    }
}
