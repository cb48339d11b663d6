package dev.parley.node.p2p;

import dev.parley.node.time.NodeClock;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Keeps the node's observed address current while it is online: asks at each (re)login and then
 * every {@link #REFRESH}, since a NAT forgets an idle mapping (often after a minute or two for
 * TCP without traffic) and may pick another port or address next time. Each new answer is told
 * to the node, which announces it; a failed ask is tried again at the next refresh, keeping the
 * last address. Timers come from the injected {@link NodeClock}.
 */
public final class ObservedAddressWatch {
    static final Duration REFRESH = Duration.ofSeconds(45);

    private final NodeClock clock;
    private final Function<String, Future<String>> ask;
    /** Set by start; volatile, as the refresh timers read them. */
    private volatile Supplier<Optional<String>> token = Optional::empty;
    private volatile Consumer<String> changed = address -> { };
    private Optional<String> last = Optional.empty();
    private NodeClock.Timer next;
    /** Bumped by each start and stop, so an answer to an older round is ignored. */
    private long round;

    /** @param ask asks once with a session token, completing with {@code host:port} ({@link ObservedAddress#ask}) */
    public ObservedAddressWatch(NodeClock clock, Function<String, Future<String>> ask) {
        this.clock = clock;
        this.ask = ask;
    }

    /**
     * Online (again): asks now and then every {@link #REFRESH}, with the session's current token.
     * {@code changed} is told each address that differs from the last one told. The result
     * completes once the first ask is over, answered or not.
     */
    public synchronized CompletableFuture<Void> start(Supplier<Optional<String>> token, Consumer<String> changed) {
        this.token = token;
        this.changed = changed;
        stopTimer();
        long mine = ++round;
        CompletableFuture<Void> first = new CompletableFuture<>();
        refresh(mine, first);
        return first;
    }

    /** Offline or logged out: no more asking until the next start. */
    public synchronized void stop() {
        round++;
        stopTimer();
    }

    /** The address last observed, if any. */
    public synchronized Optional<String> last() {
        return last;
    }

    private void refresh(long mine) {
        refresh(mine, new CompletableFuture<>());
    }

    /** {@code done} completes once this ask is over, either way (after {@code changed} was told). */
    private void refresh(long mine, CompletableFuture<Void> done) {
        Optional<String> current = token.get();
        if (current.isEmpty()) {
            schedule(mine);
            done.complete(null);
            return;
        }
        ask.apply(current.get()).onComplete(answer -> {
            Consumer<String> tell = null;
            synchronized (this) {
                if (mine != round) {
                    done.complete(null);
                    return;
                }
                if (answer.succeeded() && !last.equals(Optional.of(answer.result()))) {
                    last = Optional.of(answer.result());
                    tell = changed;
                }
                schedule(mine);
            }
            if (tell != null) {
                tell.accept(answer.result());
            }
            done.complete(null);
        });
    }

    private synchronized void schedule(long mine) {
        if (mine == round) {
            next = clock.schedule(REFRESH, () -> {
                synchronized (this) {
                    if (mine != round) {
                        return;
                    }
                }
                refresh(mine);
            });
        }
    }

    private void stopTimer() {
        if (next != null) {
            next.cancel();
            next = null;
        }
    }
}
