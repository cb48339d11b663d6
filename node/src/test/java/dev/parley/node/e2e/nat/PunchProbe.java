package dev.parley.node.e2e.nat;

import dev.parley.node.p2p.ReusePortTransport;
import dev.parley.node.p2p.SimultaneousOpen;
import dev.parley.node.time.NodeClock;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A tiny program run inside a lab host: {@code NAME LISTENPORT PEERHOST:PEERPORT WINDOWMILLIS}.
 * It holds LISTENPORT with a listener (SO_REUSEPORT, as the node's P2P listener does), prints
 * "ready", waits for "go" on its input, then runs a {@link SimultaneousOpen} from that port toward
 * the peer. Connected, it sends "hello from NAME", and prints "connected PEER got: LINE" with the
 * line the peer sent; otherwise "failed: REASON". It ends at the next line (or end) of its input.
 */
public final class PunchProbe {
    private PunchProbe() {
    }

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        String[] peer = args[2].split(":");
        Duration window = Duration.ofMillis(Long.parseLong(args[3]));
        Vertx vertx = ReusePortTransport.vertx(new VertxOptions());
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            listener.bind(new InetSocketAddress("0.0.0.0", port));
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            if (!"go".equals(in.readLine())) {
                System.out.println("failed: no go");
                return;
            }
            SimultaneousOpen punch = new SimultaneousOpen(vertx, NodeClock.of(vertx), new InetSocketAddress("0.0.0.0", port),
                    SimultaneousOpen.INTERVAL, window, SimultaneousOpen.ATTEMPT_TIMEOUT);
            CompletableFuture<String> outcome = new CompletableFuture<>();
            punch.open(new InetSocketAddress(peer[0], Integer.parseInt(peer[1])))
                    .onFailure(e -> outcome.complete("failed: " + e.getMessage()))
                    .onSuccess(channel -> exchange(name, channel, outcome));
            System.out.println(outcome.get(window.toMillis() + 10_000, TimeUnit.MILLISECONDS));
            System.out.flush();
            // Closing before the peer has read our line could reset the connection under it: wait for the test.
            in.readLine();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Sends a line and waits for the peer's. */
    private static void exchange(String name, Channel channel, CompletableFuture<String> outcome) {
        StringBuilder received = new StringBuilder();
        channel.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf chunk) {
                received.append(chunk.toString(StandardCharsets.UTF_8));
                int end = received.indexOf("\n");
                if (end >= 0) {
                    outcome.complete("connected " + address(channel) + " got: " + received.substring(0, end));
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                outcome.complete("failed: closed by the peer after '" + received + "'");
            }
        });
        channel.config().setAutoRead(true);
        channel.writeAndFlush(Unpooled.copiedBuffer("hello from " + name + "\n", StandardCharsets.UTF_8));
    }

    private static String address(Channel channel) {
        InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
        return remote.getAddress().getHostAddress() + ":" + remote.getPort();
    }
}
