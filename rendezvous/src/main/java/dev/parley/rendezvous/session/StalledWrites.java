package dev.parley.rendezvous.session;

import dev.parley.rendezvous.config.ParleyConfig;
import io.quarkus.vertx.http.HttpServerOptionsCustomizer;
import io.vertx.core.http.HttpServerOptions;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose writes make no progress for the heartbeat timeout. A WebSocket close
 * handshake cannot reach a peer that stopped reading (the close frame waits behind everything else),
 * so a session ended as a slow consumer would otherwise keep its socket and buffers for good. Live
 * sessions are written to at least every heartbeat interval (pings), so they never trip it.
 */
@ApplicationScoped
class StalledWrites implements HttpServerOptionsCustomizer {
    private final long timeoutMillis;

    StalledWrites(ParleyConfig config) {
        this.timeoutMillis = config.heartbeat().timeout().toMillis();
    }

    @Override
    public void customizeHttpServer(HttpServerOptions options) {
        apply(options);
    }

    @Override
    public void customizeHttpsServer(HttpServerOptions options) {
        apply(options);
    }

    private void apply(HttpServerOptions options) {
        long timeout = options.getIdleTimeoutUnit().convert(timeoutMillis, TimeUnit.MILLISECONDS);
        options.setWriteIdleTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout)));
    }
}
