package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.rendezvous.metrics.ServerMetrics;
import dev.parley.rendezvous.throttle.Throttles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells a logged-in node the address and port its request came from: asked from the node's P2P
 * port, that is what its NAT maps the port to (a server-reflexive address, as STUN gives for UDP).
 * It is the TCP peer of this connection, so behind a reverse proxy it is the proxy, unless
 * {@code quarkus.http.proxy.proxy-address-forwarding} is on and the proxy passes the client's
 * address and port on (and even then the proxy's own connection is what a NAT mapped).
 */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class ObservedAddressResource {
    private final LoginService logins;
    private final Throttles throttles;
    private final ServerMetrics metrics;

    public ObservedAddressResource(LoginService logins, Throttles throttles, ServerMetrics metrics) {
        this.logins = logins;
        this.throttles = throttles;
        this.metrics = metrics;
    }

    @GET
    @Path("/observed-address")
    public Response observedAddress(@HeaderParam("Authorization") String authorization,
            @Context HttpServerRequest request) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return AccountResource.error(Status.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, "missing bearer token");
        }
        Optional<String> account = logins.accountFor(authorization.substring("Bearer ".length()).strip());
        if (account.isEmpty()) {
            return AccountResource.error(Status.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, "invalid or expired session token");
        }
        Optional<Duration> wait = throttles.observedAddress(account.get());
        if (wait.isPresent()) {
            metrics.rateLimited("observed-address");
            return AccountResource.retryLater(AccountResource.TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED,
                    "too many observed-address requests", wait.get());
        }
        SocketAddress from = request.remoteAddress();
        return Response.ok(new Api.ObservedAddress(from.hostAddress(), from.port())).build();
    }
}
