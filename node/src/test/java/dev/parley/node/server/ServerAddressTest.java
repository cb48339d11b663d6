package dev.parley.node.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ServerAddressTest {
    @Test
    void parsesTheFormsUsersType() {
        assertEquals(new ServerAddress("chat.example.org", 8443, true), ServerAddress.parse("https://chat.example.org:8443"));
        assertEquals(new ServerAddress("chat.example.org", 8443, true), ServerAddress.parse("chat.example.org"));
        assertEquals(new ServerAddress("127.0.0.1", 9000, false), ServerAddress.parse("http://127.0.0.1:9000/"));
        assertEquals(new ServerAddress("::1", 8443, true), ServerAddress.parse("wss://[::1]:8443"));
        assertEquals("https://[::1]:8443", ServerAddress.parse("https://[::1]:8443").toString());
    }

    @Test
    void refusesWhatIsNotAServer() {
        assertEquals("unsupported scheme in ftp://x: use https://HOST:PORT",
                assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("ftp://x")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("https://host:8443/path"));
        assertThrows(IllegalArgumentException.class, () -> ServerAddress.parse("https:// bad host"));
    }
}
