package dev.parley.rendezvous.account;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CredentialsFileTest {
    @Test
    void parsesSeedLinesAndReportsBadOnesWithoutTheirPasswords() {
        var parsed = CredentialsFile.parse(List.of(
                "hans falcon*solo", "  yoda   wise@!man  ", "", "# comment", "lonely", "a b c", "bad!name secret", "ok sec ret"),
                "credentials.txt");
        assertEquals(List.of(new CredentialsFile.Entry("hans", "falcon*solo"), new CredentialsFile.Entry("yoda", "wise@!man")),
                parsed.entries());
        assertEquals(List.of(
                "credentials.txt line 5: expected 'username password'",
                "credentials.txt line 6: expected 'username password'",
                "credentials.txt line 7: username may only contain letters, digits, '_', '-' and '.'",
                "credentials.txt line 8: expected 'username password'"), parsed.problems());
    }
}
