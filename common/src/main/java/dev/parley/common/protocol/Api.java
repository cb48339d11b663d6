package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The HTTP API's bodies. Paths live here too so both sides name them once. */
public final class Api {
    public static final String REGISTER = "/api/register";
    public static final String LOGIN = "/api/login";
    public static final String LOGOUT = "/api/logout";
    /** The WebSocket session; the node authenticates with {@code Authorization: Bearer <token>}. */
    public static final String SESSION = "/api/session";
    /**
     * {@code GET}, with the session's bearer token: the address and port this very request came
     * from, as the server saw it ({@link ObservedAddress}). A node asks from its P2P port to learn
     * what its NAT maps that port to.
     */
    public static final String OBSERVED_ADDRESS = "/api/observed-address";

    private Api() {
    }

    /**
     * A login or registration. {@code device} is the device token a node got from its last login on
     * this server, if any: a known device is not locked out by other clients' failed guesses.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Credentials(String username, String password, String device) {
        public Credentials(String username, String password) {
            this(username, password, null);
        }

        /** Never print a password or a device token, even by accident. */
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    /** A session token, and the device token to present at this device's next login. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record LoginResult(String user, String token, String device) {
        public LoginResult(String user, String token) {
            this(user, token, null);
        }

        @Override
        public String toString() {
            return "LoginResult[user=" + user + "]";
        }
    }

    public record Registered(String user) {
    }

    /** Where a request came from: the TCP source address and port the server saw. */
    public record ObservedAddress(String address, int port) {
        public ObservedAddress {
            Fields.require("address", address);
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("field 'port' must be a port number");
            }
            PeerAddresses.require(PeerAddresses.of(address, port));
        }

        /** As a candidate address, {@code host:port} (IPv6 in brackets). */
        public String hostPort() {
            return PeerAddresses.of(address, port);
        }
    }

    /** Every HTTP error: a code, a one-line message, and when it is worth trying again, the seconds to wait. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiError(ErrorCode code, String message, Long retryAfterSeconds) {
        public ApiError(ErrorCode code, String message) {
            this(code, message, null);
        }
    }
}
