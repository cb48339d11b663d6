package dev.parley.bench;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.testsupport.SessionSocket;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A Parley session for the load generator, made like {@link MqttClient}: a blocking TLS 1.3
 * socket, one write (one TLS record) per frame, and one reader thread that hands each decoded
 * frame to the listener. The JDK's WebSocket client (what the tests use) allows one send in flight
 * and hops threads per frame, which bounded the relay figure by the generator, not the server.
 */
final class WireClient implements AutoCloseable {
    /** The server's frames are at most 1 MiB (its own limit on what it reads). */
    private static final int MAX_FRAME = 1 << 20;
    private static final int READ_TIMEOUT_MILLIS = 120_000;

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Consumer<ServerMessage> listener;
    private final Consumer<String> failed;
    private final Thread reader;
    private volatile boolean closing;

    private WireClient(SSLSocket socket, DataInputStream in, Consumer<ServerMessage> listener, Consumer<String> failed)
            throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = in;
        this.listener = listener;
        this.failed = failed;
        this.reader = new Thread(this::readLoop, "wire-reader");
        this.reader.setDaemon(true);
    }

    /** Opens a session with the token; frames go to {@code listener}, a broken connection to {@code failed}. */
    static WireClient open(SSLContext tls, int port, String token, Consumer<ServerMessage> listener,
            Consumer<String> failed) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            socket.startHandshake();
            byte[] nonce = new byte[16];
            ThreadLocalRandom.current().nextBytes(nonce);
            String request = "GET " + Api.SESSION + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                    + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n"
                    + "Authorization: Bearer " + token + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
            String head = readHead(in);
            if (!head.startsWith("HTTP/1.1 101")) {
                throw new IOException("the server did not open the session: " + head.lines().findFirst().orElse(""));
            }
            WireClient client = new WireClient(socket, in, listener, failed);
            client.reader.start();
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    void send(ClientMessage message) {
        try {
            write(0x1, SessionSocket.codec().encode(message).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            if (!closing) {
                failed.accept("session write: " + e.getMessage());
            }
        }
    }

    /** One frame, masked as a client's must be, in one write. */
    private synchronized void write(int opcode, byte[] payload) throws IOException {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x80 | opcode);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >> shift));
            }
        }
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i & 3]);
        }
        frame.writeTo(out);
        out.flush();
    }

    private void readLoop() {
        try {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            while (true) {
                int first = in.readUnsignedByte();
                int second = in.readUnsignedByte();
                long length = second & 0x7f;
                if (length == 126) {
                    length = in.readUnsignedShort();
                } else if (length == 127) {
                    length = in.readLong();
                }
                if ((second & 0x80) != 0 || length > MAX_FRAME || length < 0) {
                    throw new IOException("bad frame from the server (masked, or " + length + " bytes)");
                }
                byte[] payload = new byte[(int) length];
                in.readFully(payload);
                int opcode = first & 0x0f;
                if (opcode == 0x9) {
                    write(0xA, payload); // pong: the server's heartbeat
                } else if (opcode == 0x8) {
                    if (!closing) {
                        failed.accept("the server closed the session");
                    }
                    return;
                } else if (opcode == 0x1 || opcode == 0x0) {
                    message.write(payload);
                    if ((first & 0x80) != 0) {
                        listener.accept(ParleyWire.decode(message.toString(StandardCharsets.UTF_8)));
                        message.reset();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                failed.accept("session: " + e.getMessage());
            }
        }
    }

    private static String readHead(DataInputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 8192) {
            head.write(in.readUnsignedByte());
            byte[] b = head.toByteArray();
            int n = b.length;
            if (n >= 4 && b[n - 4] == '\r' && b[n - 3] == '\n' && b[n - 2] == '\r' && b[n - 1] == '\n') {
                break;
            }
        }
        return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() {
        closing = true;
        try {
            write(0x8, new byte[] {0x03, (byte) 0xe8}); // 1000, normal
        } catch (IOException e) {
            // already gone
        }
        try {
            socket.close();
            reader.join(5000);
        } catch (IOException e) {
            // nothing more to release
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
