package dev.parley.node.server;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.common.tls.PinnedTrustManager;
import dev.parley.node.trust.ServerTrust;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.net.TrustOptions;
import java.util.concurrent.CompletableFuture;

/**
 * The server's HTTP API and the opening of its WebSocket session, over one Vert.x client whose
 * TLS trust is what {@link ServerTrust} decided. Every response is size-limited and timed out.
 */
public final class RendezvousClient implements AutoCloseable {
    static final int TIMEOUT_MILLIS = 10_000;
    private static final int MAX_RESPONSE_BYTES = Limits.MAX_FRAME_BYTES;
    /** The server's frames are at most 64 KiB; a little more is read so the codec can say what was wrong. */
    static final int MAX_WEBSOCKET_BYTES = 2 * Limits.MAX_FRAME_BYTES;

    private final HttpClient http;
    private final ServerAddress server;
    private final ProtocolCodec codec;
    private final DeviceTokens devices;

    public RendezvousClient(Vertx vertx, ServerAddress server, ServerTrust.Decision trust, ProtocolCodec codec) {
        this(vertx, server, trust, codec, DeviceTokens.none());
    }

    public RendezvousClient(Vertx vertx, ServerAddress server, ServerTrust.Decision trust, ProtocolCodec codec,
            DeviceTokens devices) {
        this.server = server;
        this.codec = codec;
        this.devices = devices;
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(server.host())
                .setDefaultPort(server.port())
                .setSsl(server.tls())
                .setConnectTimeout(TIMEOUT_MILLIS)
                .setMaxWebSocketFrameSize(MAX_WEBSOCKET_BYTES)
                .setMaxWebSocketMessageSize(MAX_WEBSOCKET_BYTES);
        if (server.tls() && trust instanceof ServerTrust.Decision.Pinned pinned) {
            // The pin identifies the server exactly; its name in the certificate does not matter.
            options.setTrustOptions(TrustOptions.wrap(new PinnedTrustManager(pinned.fingerprint())))
                    .setVerifyHost(false);
        } else if (server.tls()) {
            options.setVerifyHost(true);
        }
        this.http = vertx.createHttpClient(options);
    }

    public ServerAddress server() {
        return server;
    }

    /** Logs in as a device the account knows, if this node has been given a device token; keeps the next one. */
    public CompletableFuture<Api.LoginResult> login(String username, String password) {
        Api.Credentials credentials = new Api.Credentials(username, password, devices.token(username).orElse(null));
        return post(Api.LOGIN, credentials, Api.LoginResult.class).thenApply(result -> {
            devices.remember(username, result.device());
            return result;
        });
    }

    public CompletableFuture<Api.Registered> register(String username, String password) {
        return post(Api.REGISTER, new Api.Credentials(username, password), Api.Registered.class);
    }

    public CompletableFuture<Void> logout(String token) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(Api.LOGOUT)
                .setTimeout(TIMEOUT_MILLIS).putHeader("Authorization", "Bearer " + token);
        return http.request(request)
                .compose(r -> r.send())
                .compose(this::boundedBody)
                .<Void>map(body -> null)
                .toCompletionStage().toCompletableFuture();
    }

    /** Opens the session socket. Call on the Vert.x context that should own its handlers. */
    public Future<SessionSocket> openSession(String token) {
        WebSocketConnectOptions options = new WebSocketConnectOptions()
                .setHost(server.host()).setPort(server.port()).setSsl(server.tls())
                .setURI(Api.SESSION)
                .setTimeout(TIMEOUT_MILLIS)
                .addHeader("Authorization", "Bearer " + token);
        return http.webSocket(options).map(WebSocketSessionSocket::new);
    }

    private <T> CompletableFuture<T> post(String uri, Object body, Class<T> type) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI(uri)
                .setTimeout(TIMEOUT_MILLIS).putHeader("Content-Type", "application/json");
        return http.request(request)
                .compose(r -> r.send(codec.encode(body)))
                .compose(response -> boundedBody(response).map(buffer -> decode(response.statusCode(), buffer, type)))
                .toCompletionStage().toCompletableFuture();
    }

    private <T> T decode(int status, Buffer body, Class<T> type) {
        try {
            if (status >= 200 && status < 300) {
                return codec.mapper().readValue(body.getBytes(), type);
            }
            throw new ApiException(status, codec.mapper().readValue(body.getBytes(), Api.ApiError.class));
        } catch (java.io.IOException e) {
            throw new ApiException(status, new Api.ApiError(ErrorCode.INTERNAL,
                    "unreadable answer from the server (HTTP " + status + ")"));
        }
    }

    /** Reads a response body, refusing more than the limit. */
    private Future<Buffer> boundedBody(HttpClientResponse response) {
        Promise<Buffer> promise = Promise.promise();
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_RESPONSE_BYTES) {
                promise.tryFail(new ApiException(response.statusCode(), new Api.ApiError(ErrorCode.TOO_LARGE,
                        "the server's answer is larger than " + MAX_RESPONSE_BYTES + " bytes")));
                response.request().reset();
            } else {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(promise::tryFail);
        response.endHandler(v -> promise.tryComplete(body));
        return promise.future();
    }

    @Override
    public void close() {
        http.close();
    }
}
