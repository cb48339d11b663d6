package dev.parley.testsupport.nat;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A minimal STUN server (RFC 5389 Binding only), run by a {@link NatLab} on its internet:
 * {@code HOST PORT}. It answers each Binding request with the XOR-MAPPED-ADDRESS it came from, and
 * prints "ready" once bound. miniupnpd needs one: it refuses to map ports of a WAN address in a
 * reserved range (the lab's TEST-NET-3) unless STUN shows that address reaches the internet as it
 * is, unfiltered (it ignores CHANGE-REQUEST, which miniupnpd's check does not need).
 */
public final class StunResponder {
    private static final int MAGIC_COOKIE = 0x2112A442;

    private StunResponder() {
    }

    public static void main(String[] args) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(args[0]),
                Integer.parseInt(args[1])))) {
            System.out.println("ready");
            System.out.flush();
            byte[] buffer = new byte[1500];
            while (true) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                socket.receive(packet);
                byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()),
                        (InetSocketAddress) packet.getSocketAddress());
                if (answer != null) {
                    socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
                }
            }
        }
    }

    /** The Binding success response to a Binding request from {@code from}; null for anything else. */
    static byte[] answer(ByteBuffer request, InetSocketAddress from) {
        if (request.remaining() < 20 || request.getShort(0) != 0x0001 || request.getInt(4) != MAGIC_COOKIE
                || from.getAddress().getAddress().length != 4) {
            return null;
        }
        byte[] transaction = new byte[12];
        request.get(8, transaction);
        byte[] ip = from.getAddress().getAddress();
        ByteBuffer out = ByteBuffer.allocate(32);
        out.putShort((short) 0x0101).putShort((short) 12).putInt(MAGIC_COOKIE).put(transaction);
        out.putShort((short) 0x0020).putShort((short) 8).put((byte) 0).put((byte) 1)
                .putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)))
                .putInt(ByteBuffer.wrap(ip).getInt() ^ MAGIC_COOKIE);
        return out.array();
    }
}
