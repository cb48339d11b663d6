package dev.parley.testsupport;

import dev.parley.common.protocol.Api;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code POST /api/login} as a client of the server's HTTP API makes it, for a session token. A
 * {@code 503 retry-later} (the server's password-hash gate is full, which many parallel logins on
 * a small machine reach) is asked again after the delay the server names, a bounded number of
 * times, as the node does.
 */
public final class Login {
    private static final int MAX_ATTEMPTS = 30;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private Login() {
    }

    /** Logs in at {@code server} (e.g. {@code https://127.0.0.1:8443}); completes with the token, or fails unless 200. */
    public static CompletableFuture<String> token(HttpClient http, URI server, String user, String password) {
        return token(http, server.resolve(Api.LOGIN), user, password, MAX_ATTEMPTS);
    }

    private static CompletableFuture<String> token(HttpClient http, URI login, String user, String password, int attemptsLeft) {
        String body = SessionSocket.codec().encode(new Api.Credentials(user, password));
        HttpRequest request = HttpRequest.newBuilder(login).header("Content-Type", "application/json").timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenCompose(r -> {
            if (r.statusCode() == 503 && attemptsLeft > 1) {
                long seconds = Math.max(1, Math.min(5, r.headers().firstValueAsLong("Retry-After").orElse(1)));
                return CompletableFuture.supplyAsync(() -> null, CompletableFuture.delayedExecutor(seconds, TimeUnit.SECONDS))
                        .thenCompose(x -> token(http, login, user, password, attemptsLeft - 1));
            }
            if (r.statusCode() != 200) {
                throw new IllegalStateException("login of " + user + " failed: HTTP " + r.statusCode() + " " + r.body());
            }
            try {
                return CompletableFuture.completedFuture(
                        SessionSocket.codec().mapper().readValue(r.body(), Api.LoginResult.class).token());
            } catch (Exception e) {
                throw new IllegalStateException("unreadable login answer: " + r.body(), e);
            }
        });
    }
}
