package dev.parley.rendezvous.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Every server setting in one place. The command-line options of {@code Main} map onto these keys. */
@ConfigMapping(prefix = "parley")
public interface ParleyConfig {

    /** Where the server keeps its database, certificate and key. */
    @WithDefault("./parley-data")
    Path data();

    /** Seeds-style {@code username password} lines imported (hashed) at start. */
    Optional<Path> credentials();

    @WithDefault("true")
    boolean registration();

    Lockout lockout();

    /** Log out users who send no command for this long; 0 turns it off. */
    @WithDefault("0s")
    Duration idleTimeout();

    Heartbeat heartbeat();

    Session session();

    /** Limits on one node's live session. */
    interface Session {
        /**
         * The most that may wait to be written to one session's connection (bytes of frames not yet
         * taken by the socket). A node that stops reading reaches it and is disconnected with
         * {@code slow-consumer}; what is stored for it stays stored.
         */
        @WithDefault("4194304")
        long maxOutboundBytes();
    }

    /** How long a {@code getaddress} waits for the other user's answer. */
    @WithDefault("60s")
    Duration consentTimeout();

    PasswordHash passwordHash();

    /** Argon2id cost; each stored hash keeps its own, so changing these only affects new hashes. */
    interface PasswordHash {
        /** Memory per hash in KiB (OWASP minimum: 19456). */
        @WithDefault("19456")
        int memoryKib();

        @WithDefault("2")
        int iterations();
    }

    interface Lockout {
        /** Consecutive wrong passwords that lock an account. */
        @WithDefault("3")
        int attempts();

        @WithDefault("60s")
        Duration duration();
    }

    interface Heartbeat {
        /** How often the server pings each session. */
        @WithDefault("5s")
        Duration interval();

        /** A session not heard from for this long is taken as dead and logged out. */
        @WithDefault("15s")
        Duration timeout();
    }
}
