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

    Relay relay();

    /** Messages through the server. */
    interface Relay {
        /** Messages the server keeps waiting for one recipient (stored and not yet acknowledged). */
        @WithDefault("10000")
        int maxWaiting();

        /** Of those, how many may come from one sender. */
        @WithDefault("1000")
        int maxWaitingPerSender();

        /** Messages pushed to a node and not acknowledged yet, at most (1 to 500). */
        @WithDefault("128")
        int window();
    }

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

        /** Password hashes computed at once; 0 means one per processor. More wait briefly, then get {@code retry-later}. */
        @WithDefault("0")
        int concurrency();
    }

    Tokens tokens();

    /** Session tokens expire by age and by disuse; the node then logs in again with the password it was given. */
    interface Tokens {
        @WithDefault("168h")
        Duration maxAge();

        /** Since the token last opened a session or a session with it ended. */
        @WithDefault("24h")
        Duration idleAge();
    }

    RateLimits rateLimit();

    /**
     * Requests allowed per client address (or user) and overall, as {@code COUNT/PERIOD} (see
     * {@code Rate}); past them the answer is {@code rate-limited} with the time to wait.
     */
    interface RateLimits {
        @WithDefault("30/60s")
        String loginPerAddress();

        @WithDefault("200/1s")
        String login();

        @WithDefault("10/1h")
        String registerPerAddress();

        @WithDefault("600/1h")
        String register();

        /** {@code getaddress} requests per user. */
        @WithDefault("10/60s")
        String getaddressPerUser();

        @WithDefault("600/60s")
        String getaddress();

        /** {@code punch} steps per pair of contacts (sender, target): a punch takes three, an attempt or two a minute. */
        @WithDefault("20/60s")
        String punchPerPair();

        @WithDefault("6000/60s")
        String punch();

        /** {@code GET /api/observed-address} per user (a node asks at login and about once a minute). */
        @WithDefault("10/60s")
        String observedAddressPerUser();

        @WithDefault("1200/60s")
        String observedAddress();

        /** After a {@code deny}, how long before the same user may ask again. */
        @WithDefault("300s")
        Duration askAgainAfterDeny();
    }

    interface Lockout {
        /** Consecutive wrong passwords that lock an account. */
        @WithDefault("3")
        int attempts();

        @WithDefault("60s")
        Duration duration();
    }

    interface Heartbeat {
        /**
         * The heartbeat's unit: a session the server has not heard from for half the timeout, but at
         * least this long, is pinged (any frame from the node counts).
         */
        @WithDefault("5s")
        Duration interval();

        /** A session not heard from for this long is taken as dead and logged out. */
        @WithDefault("15s")
        Duration timeout();
    }
}
