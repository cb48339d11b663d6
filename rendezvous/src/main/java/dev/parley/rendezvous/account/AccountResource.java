package dev.parley.rendezvous.account;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.Api.ApiError;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.Username;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;
import java.util.Optional;

/** Registration, login and logout: the request/response half of the protocol. */
@Path("/api")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
public class AccountResource {
    static final String BAD_CREDENTIALS = "invalid username or password";

    private final RegistrationService registration;
    private final LoginService logins;

    public AccountResource(RegistrationService registration, LoginService logins) {
        this.registration = registration;
        this.logins = logins;
    }

    @POST
    @Path("/register")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response register(Api.Credentials body) {
        if (body == null) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, "expected a JSON body with username and password");
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
        return error(Status.CONFLICT, ErrorCode.UNAVAILABLE, "username '" + body.username() + "' is not available");
    }

    @POST
    @Path("/login")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response login(Api.Credentials body) {
        if (body == null || body.username() == null || body.password() == null) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, "expected a JSON body with username and password");
        }
        Optional<String> problem = Username.problem(body.username());
        if (problem.isPresent()) {
            return error(Status.BAD_REQUEST, ErrorCode.INVALID, problem.get());
        }
        if (body.password().length() > Limits.MAX_PASSWORD_CHARS) {
            return error(Status.UNAUTHORIZED, ErrorCode.BAD_CREDENTIALS, BAD_CREDENTIALS);
        }
        LoginService.Outcome outcome = logins.login(body.username(), body.password());
        if (outcome instanceof LoginService.Outcome.Success ok) {
            return Response.ok(new Api.LoginResult(ok.account().username(), ok.token())).build();
        }
        if (outcome instanceof LoginService.Outcome.Locked locked) {
            long seconds = Math.max(1, (locked.remaining().toMillis() + 999) / 1000);
            String message = locked.justLocked()
                    ? BAD_CREDENTIALS + "; too many failed attempts: login locked for " + seconds + " s"
                    : "login locked after too many failed attempts: try again in " + seconds + " s";
            return Response.status(423).header("Retry-After", seconds)
                    .entity(new ApiError(ErrorCode.LOCKED, message, seconds)).build();
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

    private static Response error(Status status, ErrorCode code, String message) {
        return Response.status(status).entity(new ApiError(code, message)).build();
    }
}
