package dev.parley.node.p2p;

import dev.parley.common.protocol.FrameDecoder;
import dev.parley.common.protocol.Limits;
import dev.parley.common.protocol.PeerFrame;
import dev.parley.common.protocol.ProtocolCodec;
import dev.parley.node.time.NodeClock;
import io.netty.buffer.PooledByteBufAllocator;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.impl.NetSocketInternal;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One authenticated TLS connection to a peer: frames in and out, a hello each way, heartbeats,
 * and limits on everything the peer sends (frame size, stalls, silence, and rate: past the
 * {@link LinkRateLimit} the link stops reading until the peer is back within it). Runs on its
 * socket's Vert.x context; its time and timers come from the injected {@link NodeClock}.
 */
final class DirectLink implements PeerLink {
    static final Duration HEARTBEAT = Duration.ofSeconds(2);
    static final Duration SILENCE_LIMIT = Duration.ofSeconds(6);
    static final Duration HELLO_LIMIT = Duration.ofSeconds(10);

    interface Events {
        void hello(DirectLink link, String user);

        void frame(DirectLink link, PeerFrame frame);

        void closed(DirectLink link, String why);
    }

    private final NodeClock clock;
    private final NetSocket socket;
    private final ProtocolCodec codec;
    private final Events events;
    private final String address;
    private final LinkHow how;
    private final FrameDecoder decoder = new FrameDecoder(Limits.MAX_FRAME_BYTES);
    private final LinkRateLimit rate;
    /** Reading is paused until the peer is back within its rate: its silence meanwhile is ours. */
    private boolean throttled;
    private volatile NodeClock.Timer heartbeat;
    private final long openedNanos;
    private volatile long lastHeardNanos;
    private volatile String peer;
    private volatile boolean closed;
    private String closeReason;

    DirectLink(NodeClock clock, NetSocket socket, ProtocolCodec codec, LinkHow how, Events events) {
        this.how = how;
        this.clock = clock;
        this.rate = new LinkRateLimit(clock::nanoTime);
        this.openedNanos = clock.nanoTime();
        this.lastHeardNanos = openedNanos;
        this.socket = socket;
        this.codec = codec;
        this.events = events;
        this.address = socket.remoteAddress().toString();
        pooledBuffers(socket);
        socket.handler(this::data);
        socket.closeHandler(v -> finish(closeReason == null ? "connection closed" : closeReason));
        socket.exceptionHandler(e -> abort("connection failed: " + e.getMessage()));
        heartbeat = clock.schedule(HEARTBEAT, this::tick);
    }

    @Override
    public String address() {
        return address;
    }

    /** The verified peer, once its hello arrived. */
    @Override
    public String peer() {
        return peer;
    }

    @Override
    public LinkHow how() {
        return how;
    }

    @Override
    public boolean isOpen() {
        return !closed;
    }

    @Override
    public void send(PeerFrame frame) {
        if (!closed) {
            socket.write(Buffer.buffer(FrameDecoder.encode(codec.encodeUtf8(frame))));
        }
    }

    /**
     * Closes the link: in order (what is queued is written first), except a punched one, which is
     * reset ({@link ConnectionReset}): both its ends are P2P ports, whose address pair the next punch
     * between the two (after a restart, a new consent) needs free.
     */
    @Override
    public void close(String why) {
        if (how == LinkHow.PUNCHED) {
            abort(why);
        } else if (!closed && closeReason == null) {
            closeReason = why;
            socket.close();
        }
    }

    /** Closes a link whose path is dead (or a punched one) with a reset: see {@link ConnectionReset}. */
    private void abort(String why) {
        if (closed || closeReason != null) {
            return;
        }
        closeReason = why;
        ConnectionReset.reset(socket);
    }

    /**
     * TLS on a pooled allocator. Vert.x gives a connection that did not start as TLS (ours are
     * upgraded after connecting) an allocator whose heap buffers are not pooled, and the JDK's TLS
     * engine writes each record into a fresh heap buffer of the largest record's size: a 16 KiB
     * array allocated and zeroed per record was the link's biggest cost per message. Vert.x copies
     * what it reads out of pooled buffers before handing it over, so nothing pooled leaks to us.
     */
    private static void pooledBuffers(NetSocket socket) {
        if (socket instanceof NetSocketInternal internal) {
            internal.channelHandlerContext().channel().config().setAllocator(PooledByteBufAllocator.DEFAULT);
        }
    }

    /** Accepts the peer's hello only if it names the user whose key the TLS handshake proved. */
    void expectPeer(String user, Consumer<String> onMismatch) {
        this.expected = user;
        this.onMismatch = onMismatch;
    }

    private String expected;
    private Consumer<String> onMismatch;

    private void data(Buffer buffer) {
        lastHeardNanos = clock.nanoTime();
        rate.received(buffer.length());
        try {
            for (String text : decoder.feed(buffer.getBytes())) {
                rate.frame();
                ProtocolCodec.Decoded<PeerFrame> decoded = codec.decode(text, PeerFrame.class);
                if (!(decoded instanceof ProtocolCodec.Decoded.Accepted<PeerFrame> accepted)) {
                    close("unreadable frame from the peer");
                    return;
                }
                handle(accepted.message());
            }
        } catch (FrameDecoder.FrameTooLarge e) {
            close("peer sent an oversized frame (" + e.getMessage() + ")");
            return;
        }
        long pause = rate.pauseNanos();
        if (pause > 0 && !throttled && !closed) {
            // Back-pressure, not buffering: TCP makes the peer wait while we do not read.
            throttled = true;
            socket.pause();
            clock.schedule(Duration.ofMillis(Math.max(1, (pause + 999_999) / 1_000_000)), this::resume);
        }
    }

    private void resume() {
        throttled = false;
        lastHeardNanos = clock.nanoTime();
        if (!closed) {
            socket.resume();
        }
    }

    private void handle(PeerFrame frame) {
        if (frame instanceof PeerFrame.Hello hello) {
            if (peer != null) {
                return;
            }
            if (expected != null && !expected.equalsIgnoreCase(hello.user())) {
                onMismatch.accept(hello.user());
                close("peer claimed to be " + hello.user() + " but holds " + expected + "'s key");
                return;
            }
            peer = hello.user();
            events.hello(this, peer);
            return;
        }
        if (peer == null) {
            close("peer spoke before saying hello");
            return;
        }
        if (frame instanceof PeerFrame.Ping) {
            send(new PeerFrame.Pong());
        } else if (!(frame instanceof PeerFrame.Pong)) {
            events.frame(this, frame);
        }
    }

    private void tick() {
        long now = clock.nanoTime();
        if (peer == null && now - openedNanos > HELLO_LIMIT.toNanos()) {
            close("no hello from the peer in time");
        } else if (!throttled && now - lastHeardNanos > SILENCE_LIMIT.toNanos()) {
            abort(decoder.midFrame() ? "peer stalled in the middle of a frame" : "peer stopped answering");
        } else if (peer != null) {
            send(new PeerFrame.Ping());
        }
        if (!closed) {
            heartbeat = clock.schedule(HEARTBEAT, this::tick);
        }
    }

    private void finish(String why) {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel();
        events.closed(this, why);
    }
}
