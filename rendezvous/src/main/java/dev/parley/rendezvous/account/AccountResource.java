package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.Api.ApiError;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import dev.parley.rendezvous.metrics.ServerMetrics;
import dev.parley.rendezvous.throttle.Throttles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.time.Duration;
import java.util.Optional;

/** Registration, login and logout: the request/response half of the protocol. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AccountResource {
    static final String BAD_CREDENTIALS = "invalid username or password";
    /** HTTP 429 Too Many Requests (not in JAX-RS's Status). */
    static final int TOO_MANY_REQUESTS = 429;

    private final RegistrationService registration;
    private final LoginService logins;
    private final Throttles throttles;
    private final ServerMetrics metrics;

    public AccountResource(RegistrationService registration, LoginService logins, Throttles throttles,
            ServerMetrics metrics) {
        this.registration = registration;
        this.logins = logins;
        this.throttles = throttles;
        this.metrics = metrics;
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Api.Credentials body, @Context HttpServerRequest request) {
        if (body == null) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, "expected a JSON body with username and password");
        }
        Optional<Duration> wait = throttles.registration(request.remoteAddress().hostAddress());
        if (wait.isPresent()) {
            metrics.rateLimited("register");
            return retryLater(TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "too many registrations from your address",
                    wait.get());
        }
        RegistrationService.Outcome outcome = registration.register(body.username(), body.password());
        if (outcome instanceof RegistrationService.Outcome.Created created) {
            return Response.status(Status.CREATED).entity(new Api.Registered(created.username())).build();
        }
        if (outcome instanceof RegistrationService.Outcome.Invalid invalid) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, invalid.reason());
        }
        if (outcome instanceof RegistrationService.Outcome.Closed) {
            return error(Status.FORBIDDEN, ErrorCode.REGISTRATION_CLOSED, "registration is disabled on this server");
        }
        if (outcome instanceof RegistrationService.Outcome.Confusable) {
            return error(Status.CONFLICT, ErrorCode.UNAVAILABLE, "username '" + body.username()
                    + "' is too easily mistaken for an existing one; choose another");
        }
        if (outcome instanceof RegistrationService.Outcome.Busy) {
            return retryLater(Status.SERVICE_UNAVAILABLE.getStatusCode(), ErrorCode.RETRY_LATER,
                    "the server is busy; try again in a moment", Duration.ofSeconds(1));
        }
        return error(Status.CONFLICT, ErrorCode.UNAVAILABLE, "username '" + body.username() + "' is not available");
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Api.Credentials body, @Context HttpServerRequest request) {
        if (body == null || body.username() == null || body.password() == null) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, "expected a JSON body with username and password");
        }
        Optional<String> problem = Username.problem(body.username());
        if (problem.isPresent()) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, problem.get());
        }
        Optional<Duration> wait = throttles.login(request.remoteAddress().hostAddress());
        if (wait.isPresent()) {
            metrics.rateLimited("login");
            return retryLater(TOO_MANY_REQUESTS, ErrorCode.RATE_LIMITED, "too many logins from your address", wait.get());
        }
        if (body.password().length() > Limits.MAX_PASSWORD_CHARS) {
            return error(Status.UNAUTHORIZED, ErrorCode.BAD_CREDENTIALS, BAD_CREDENTIALS);
        }
        LoginService.Outcome outcome = logins.login(body.username(), body.password(), body.device());
        if (outcome instanceof LoginService.Outcome.Success ok) {
            return Response.ok(new Api.LoginResult(ok.account().username(), ok.token(), ok.device())).build();
        }
        if (outcome instanceof LoginService.Outcome.Locked locked) {
            long seconds = seconds(locked.remaining());
            String message = locked.justLocked()
                    ? BAD_CREDENTIALS + "; too many failed attempts: login locked for " + seconds + " s"
                    : "login locked after too many failed attempts: try again in " + seconds + " s";
            return retryLater(423, ErrorCode.LOCKED, message, locked.remaining());
        }
        if (outcome instanceof LoginService.Outcome.Busy) {
            return retryLater(Status.SERVICE_UNAVAILABLE.getStatusCode(), ErrorCode.RETRY_LATER,
                    "the server is busy checking passwords; try again in a moment", Duration.ofSeconds(1));
        }
        return error(Status.UNAUTHORIZED, ErrorCode.BAD_CREDENTIALS, BAD_CREDENTIALS);
    }

    /** Revokes the caller's token (and so its session); a token already gone is not an error. */
    @POST
    @Path("/logout")
    public Response logout(@HeaderParam("Authorization") String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return error(Status.UNAUTHORIZED, ErrorCode.UNAUTHENTICATED, "missing bearer token");
        }
        logins.accountFor(authorization.substring("Bearer ".length()).strip()).ifPresent(logins::logout);
        return Response.noContent().build();
    }

    static Response error(Status status, ErrorCode code, String message) {
        return Response.status(status).entity(new ApiError(code, message)).build();
    }

    /** An error worth trying again after {@code wait}: said in {@code Retry-After} and in the body. */
    static Response retryLater(int status, ErrorCode code, String message, Duration wait) {
        long seconds = seconds(wait);
        String text = code == ErrorCode.LOCKED ? message : message + "; try again in " + seconds + " s";
        return Response.status(status).header("Retry-After", seconds)
                .entity(new ApiError(code, text, seconds)).build();
    }

    private static long seconds(Duration d) {
        return Math.max(1, (d.toMillis() + 999) / 1000);
    }
}
