package dev.parley.rendezvous.core;

import dev.parley.common.protocol.ErrorCode;

/** A request the server turns down: becomes an {@code error} reply carrying the request's id. */
public class Refusal extends RuntimeException {
    private final ErrorCode code;

    public Refusal(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
