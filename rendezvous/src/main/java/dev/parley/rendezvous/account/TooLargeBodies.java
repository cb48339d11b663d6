package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Api.ApiError;
import dev.parley.common.protocol.ErrorCode;
import io.quarkus.vertx.http.runtime.filters.Filters;
import io.vertx.core.json.Json;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * A request that declares a body over the limit is refused before it is read, with the API's
 * error shape, instead of the HTTP layer's empty 413. (A body sent in chunks without a declared
 * length is still cut off by the HTTP layer's own limit, {@code quarkus.http.limits.max-body-size}.)
 */
@ApplicationScoped
class TooLargeBodies {
    static final int PAYLOAD_TOO_LARGE = 413;
    /** The same as {@code quarkus.http.limits.max-body-size}. */
    static final long MAX_BODY_BYTES = 64 * 1024;

    void install(@Observes Filters filters) {
        filters.register(ctx -> {
            String declared = ctx.request().getHeader("Content-Length");
            long length;
            try {
                length = declared == null ? -1 : Long.parseLong(declared.strip());
            } catch (NumberFormatException e) {
                length = -1;
            }
            if (length <= MAX_BODY_BYTES) {
                ctx.next();
                return;
            }
            ctx.response().setStatusCode(PAYLOAD_TOO_LARGE).putHeader("Content-Type", "application/json")
                    .putHeader("Connection", "close")
                    .end(Json.encode(new ApiError(ErrorCode.TOO_LARGE, "request body larger than the server accepts (64 KiB)")))
                    .onComplete(done -> ctx.request().connection().close());
        }, 20);
    }
}
