package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The HTTP API's bodies. Paths live here too so both sides name them once. */
public final class Api {
    public static final String REGISTER = "/api/register";
    public static final String LOGIN = "/api/login";
    public static final String LOGOUT = "/api/logout";
    /** The WebSocket session; the node authenticates with {@code Authorization: Bearer <token>}. */
    public static final String SESSION = "/api/session";

    private Api() {
    }

    public record Credentials(String username, String password) {
        /** Never print a password, even by accident. */
        @Override
        public String toString() {
            return "Credentials[username=" + username + "]";
        }
    }

    public record LoginResult(String user, String token) {
        @Override
        public String toString() {
            return "LoginResult[user=" + user + "]";
        }
    }

    public record Registered(String user) {
    }

    /** Every HTTP error: a code, a one-line message, and for lockouts the seconds left. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ApiError(ErrorCode code, String message, Long retryAfterSeconds) {
        public ApiError(ErrorCode code, String message) {
            this(code, message, null);
        }
    }
}
