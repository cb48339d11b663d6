package dev.parley.rendezvous.account;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.parley.common.protocol.Api.ApiError;
import dev.parley.common.protocol.ErrorCode;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every HTTP failure answers with the same one-line JSON error shape as the API's own refusals. */
class ApiErrorMapper {

    /** More specific than the framework's own mapper for it, which answers with an empty body. */
    @ServerExceptionMapper
    Response mismatchedJson(MismatchedInputException e) {
        return unreadableJson(e);
    }

    @ServerExceptionMapper
    Response unreadableJson(JsonProcessingException e) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(ErrorCode.MALFORMED, "malformed JSON body: " + firstLine(e.getOriginalMessage())))
                .build();
    }

    @ServerExceptionMapper
    Response webFailure(WebApplicationException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return unreadableJson(json);
            }
        }
        int status = e.getResponse().getStatus();
        ErrorCode code = status >= 500 ? ErrorCode.INTERNAL : ErrorCode.INVALID;
        String reason = e.getResponse().getStatusInfo().getReasonPhrase();
        return Response.status(status).type(MediaType.APPLICATION_JSON)
                .entity(new ApiError(code, reason == null ? "HTTP " + status : reason.toLowerCase(java.util.Locale.ROOT)))
                .build();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
