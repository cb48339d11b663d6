package dev.parley.bench;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A session that stops reading its socket once the server has welcomed it, yet keeps itself alive
 * with a ping every second, as a node stuck behind a full pipe would: what the server sends it
 * piles up, first in the kernel's buffers, then in the server's bounded queue for it. The JDK's
 * WebSocket reads only as far as its listener asks; this one asks for nothing after the welcome.
 */
final class StalledSession implements AutoCloseable {
    private static final Duration PING_EVERY = Duration.ofSeconds(1);

    private final WebSocket socket;
    private final ScheduledExecutorService pinger;

    private StalledSession(WebSocket socket) {
        this.socket = socket;
        this.pinger = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "stalled-session-pinger");
            t.setDaemon(true);
            return t;
        });
        // One send at a time (the JDK's WebSocket allows no more): each ping waits for the last.
        pinger.scheduleWithFixedDelay(() -> {
            try {
                socket.sendText(SessionSocket.codec().encode(new ClientMessage.Ping(null)), true)
                        .get(PING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
            } catch (Exception e) {
                // closed by the server (the point), or the send is stuck behind a full pipe: try again later
            }
        }, 0, PING_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Logs {@code user} in, opens the session, reads up to the server's welcome and then no more. */
    static StalledSession open(int port, String user, String password) throws Exception {
        HttpClient http = ParleyWire.http();
        String token = ParleyWire.login(http, port, user, password).get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        CompletableFuture<Void> welcomed = new CompletableFuture<>();
        WebSocket socket = http.newWebSocketBuilder().connectTimeout(ParleyWire.TIMEOUT).header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("wss://127.0.0.1:" + port + Api.SESSION), new WebSocket.Listener() {
                    private final StringBuilder partial = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        partial.append(data);
                        if (last && SessionSocket.decode(partial.toString()) instanceof ServerMessage.Welcome) {
                            welcomed.complete(null); // and no request(1): nothing more is read
                        } else {
                            if (last) {
                                partial.setLength(0);
                            }
                            webSocket.request(1);
                        }
                        return null;
                    }
                }).get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        try {
            welcomed.get(ParleyWire.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            socket.abort();
            throw new IllegalStateException("no welcome for " + user + " within " + ParleyWire.TIMEOUT);
        }
        return new StalledSession(socket);
    }

    @Override
    public void close() throws InterruptedException {
        pinger.shutdownNow();
        pinger.awaitTermination(5, TimeUnit.SECONDS);
        socket.abort();
    }
}
