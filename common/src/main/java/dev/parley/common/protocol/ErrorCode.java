package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonValue;

/** Machine-readable reasons carried by {@link ServerMessage.Error} and {@link Api.ApiError}. */
public enum ErrorCode {
    MALFORMED("malformed"),
    UNKNOWN_TYPE("unknown-type"),
    TOO_LARGE("too-large"),
    INVALID("invalid"),
    NO_SUCH_USER("no-such-user"),
    SELF("self"),
    BLOCKED("blocked"),
    NOT_BLOCKED("not-blocked"),
    ALREADY_BLOCKED("already-blocked"),
    BAD_CREDENTIALS("bad-credentials"),
    LOCKED("locked"),
    UNAVAILABLE("unavailable"),
    REGISTRATION_CLOSED("registration-closed"),
    UNAUTHENTICATED("unauthenticated"),
    OFFLINE("offline"),
    NO_IDENTITY("no-identity"),
    NOT_ASKED("not-asked"),
    ALREADY_ASKED("already-asked"),
    NO_LINK("no-link"),
    /** The recipient has as many messages waiting (from you, or in all) as the server keeps for them. */
    QUOTA("quota"),
    /** Too many requests of this kind from this address or user; the answer says when to try again. */
    RATE_LIMITED("rate-limited"),
    /** The server is too busy to check a password now; try again in a moment. */
    RETRY_LATER("retry-later"),
    INTERNAL("internal");

    private final String wire;

    ErrorCode(String wire) {
        this.wire = wire;
    }

    @JsonValue
    public String wire() {
        return wire;
    }
}
