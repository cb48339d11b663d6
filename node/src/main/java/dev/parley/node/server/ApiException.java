package dev.parley.node.server;

import dev.parley.common.protocol.Api.ApiError;
import dev.parley.common.protocol.ErrorCode;

/** The server refused an HTTP request; {@link #getMessage()} is the server's one-line reason. */
public final class ApiException extends RuntimeException {
    private final int status;
    private final ApiError error;

    public ApiException(int status, ApiError error) {
        super(error.message(), null, false, false);
        this.status = status;
        this.error = error;
    }

    public int status() {
        return status;
    }

    public ErrorCode code() {
        return error.code();
    }

    public ApiError error() {
        return error;
    }

    /** The server was too busy or rate-limited the request: worth trying again later, not a refusal. */
    public boolean retryable() {
        return status == 429 || status == 503;
    }
}
