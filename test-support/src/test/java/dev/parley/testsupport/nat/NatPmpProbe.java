package dev.parley.testsupport.nat;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/**
 * A tiny NAT-PMP client run inside a lab host: {@code GATEWAY PORT}. It asks the gateway for its
 * public address, then for a TCP mapping of PORT for two hours, and prints "public A.B.C.D" and
 * "mapped PORT to EXTERNAL for SECONDS s", or "result N" for a refusal, or "no answer".
 */
public final class NatPmpProbe {
    private NatPmpProbe() {
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress gateway = new InetSocketAddress(InetAddress.getByName(args[0]), 5351);
        int port = Integer.parseInt(args[1]);
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout(2000);
            ByteBuffer address = ask(socket, gateway, new byte[] {0, 0});
            if (address == null) {
                return;
            }
            byte[] ip = new byte[4];
            address.get(8, ip);
            System.out.println("public " + InetAddress.getByAddress(ip).getHostAddress());
            ByteBuffer mapping = ask(socket, gateway, ByteBuffer.allocate(12).put((byte) 0).put((byte) 2).putShort((short) 0)
                    .putShort((short) port).putShort((short) port).putInt(7200).array());
            if (mapping != null) {
                System.out.println("mapped " + (mapping.getShort(8) & 0xFFFF) + " to " + (mapping.getShort(10) & 0xFFFF)
                        + " for " + mapping.getInt(12) + " s");
            }
        }
    }

    /** The answer, or null after printing why there is none. */
    private static ByteBuffer ask(DatagramSocket socket, InetSocketAddress gateway, byte[] request) throws Exception {
        socket.send(new DatagramPacket(request, request.length, gateway));
        DatagramPacket answer = new DatagramPacket(new byte[64], 64);
        try {
            socket.receive(answer);
        } catch (SocketTimeoutException e) {
            System.out.println("no answer");
            return null;
        }
        ByteBuffer reply = ByteBuffer.wrap(answer.getData(), 0, answer.getLength());
        int result = reply.getShort(2) & 0xFFFF;
        if (result != 0) {
            System.out.println("result " + result);
            return null;
        }
        return reply;
    }
}
