package dev.parley.testsupport.nat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A tiny program run inside lab namespaces: {@code serve PORT…} answers every connection with the
 * address and port it came from ("ip:port") and prints "listening" once bound; {@code ask LOCALPORT
 * HOST:PORT…} connects to each in turn from that local port (0: any) and prints each answer, or
 * "failed: reason".
 */
public final class SourceEcho {
    private SourceEcho() {
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("serve")) {
            for (int i = 1; i < args.length; i++) {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                server.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), Integer.parseInt(args[i])));
                Thread t = new Thread(() -> serve(server));
                t.start();
            }
            System.out.println("listening");
            System.out.flush();
        } else {
            int local = Integer.parseInt(args[1]);
            for (int i = 2; i < args.length; i++) {
                String[] hostPort = args[i].split(":");
                try (Socket socket = new Socket()) {
                    socket.setReuseAddress(true);
                    socket.bind(new InetSocketAddress(local));
                    socket.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 1000);
                    BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                    System.out.println(in.readLine());
                } catch (IOException e) {
                    System.out.println("failed: " + e);
                }
            }
        }
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try (Socket socket = server.accept()) {
                InetSocketAddress from = (InetSocketAddress) socket.getRemoteSocketAddress();
                PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
                out.println(from.getAddress().getHostAddress() + ":" + from.getPort());
            } catch (IOException e) {
                return;
            }
        }
    }
}
