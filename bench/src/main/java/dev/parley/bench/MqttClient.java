package dev.parley.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * A lean MQTT 3.1.1 client over TLS 1.3, just what the load generator needs: CONNECT, SUBSCRIBE,
 * PUBLISH at QoS 0 or 1, PUBACK, PINGREQ, DISCONNECT. Hand-written rather than Paho: one blocking
 * socket and one reader thread. It exists to drive the broker at its best (written one packet per
 * TLS record and flush, it reached a third of what Mosquitto's own clients do), so PUBLISHes are
 * queued until {@link #flush} or a full buffer (one TLS record of many packets), and the reader's
 * PUBACKs go out once it has read everything that has arrived.
 */
final class MqttClient implements AutoCloseable {
    /** What the reader thread hands on. Called on that thread, in arrival order. */
    interface Listener {
        void published(byte[] payload);

        void acknowledged(int packetId);

        void failed(String why);
    }

    /** Our largest payload is 4 KiB of text; anything far beyond is a broken stream. */
    static final int MAX_PACKET = 64 * 1024;
    /** Silence after which the reader probes the broker with PINGREQ; a second one is fatal. */
    private static final Duration IDLE = Duration.ofSeconds(30);
    private static final Duration REPLY_LIMIT = Duration.ofSeconds(10);

    private static final int CONNECT = 1, CONNACK = 2, PUBLISH = 3, PUBACK = 4, SUBSCRIBE = 8, SUBACK = 9,
            PINGREQ = 12, PINGRESP = 13, DISCONNECT = 14;

    private final SSLSocket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final Listener listener;
    /** Types of the control packets (CONNACK, SUBACK, PINGRESP) for whoever waits for them. */
    private final BlockingQueue<Integer> replies = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile boolean closing;
    private int nextPacketId;

    private MqttClient(SSLSocket socket, Listener listener) throws IOException {
        this.socket = socket;
        // The largest TLS record's worth: a burst goes out in full records.
        this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), 16 * 1024));
        this.listener = listener;
        this.reader = new Thread(this::readLoop, "mqtt-reader");
        this.reader.setDaemon(true);
    }

    /** Connects with a clean session and no broker-side keepalive (the reader probes instead). */
    static MqttClient connect(SSLContext tls, int port, String clientId, Listener listener) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        try {
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setTcpNoDelay(true);
            socket.setSoTimeout((int) IDLE.toMillis());
            socket.startHandshake();
            MqttClient client = new MqttClient(socket, listener);
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            string(body, "MQTT");
            body.write(4); // protocol level 3.1.1
            body.write(0x02); // clean session
            body.write(0);
            body.write(0); // keepalive 0: the broker never drops a quiet client; our reader pings instead
            string(body, clientId);
            client.write(CONNECT << 4, body.toByteArray());
            // The CONNACK is read here, before the reader starts, so a refusal is this call's error.
            int type = client.in.readUnsignedByte() >> 4;
            byte[] ack = client.readBody();
            if (type != CONNACK || ack.length != 2 || ack[1] != 0) {
                throw new IOException("the broker refused the MQTT connection (packet type " + type
                        + (ack.length == 2 ? ", return code " + ack[1] : "") + ")");
            }
            client.reader.start();
            return client;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** Subscribes to one topic and waits for the broker's SUBACK. */
    void subscribe(String topic, int qos) throws IOException, InterruptedException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int id = packetId();
        body.write(id >> 8);
        body.write(id);
        string(body, topic);
        body.write(qos);
        write(SUBSCRIBE << 4 | 0x02, body.toByteArray());
        awaitReply(SUBACK, "SUBACK");
    }

    /**
     * Queues one message for sending; {@link #flush} sends it (at QoS 1 the broker's PUBACK then
     * goes to the listener). A full buffer goes out by itself.
     */
    synchronized void publish(byte[] topic, byte[] payload, int qos) throws IOException {
        int length = 2 + topic.length + (qos > 0 ? 2 : 0) + payload.length;
        header(PUBLISH << 4 | qos << 1, length);
        out.write(topic.length >> 8);
        out.write(topic.length);
        out.write(topic);
        if (qos > 0) {
            int id = packetId();
            out.write(id >> 8);
            out.write(id);
        }
        out.write(payload);
    }

    /** Sends whatever {@link #publish} has queued. */
    synchronized void flush() throws IOException {
        out.flush();
    }

    /** A round trip to the broker: proves the connection is still up before a measurement. */
    void ping() throws IOException, InterruptedException {
        write(PINGREQ << 4, new byte[0]);
        awaitReply(PINGRESP, "PINGRESP");
    }

    private void awaitReply(int type, String what) throws IOException, InterruptedException {
        Integer got = replies.poll(REPLY_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        if (got == null || got != type) {
            throw new IOException(got == null ? "no " + what + " from the broker within " + REPLY_LIMIT
                    : "expected " + what + ", the broker sent packet type " + got);
        }
    }

    /** Packet ids are 1..65535; wrapping is safe as long as fewer than 65535 are unacknowledged. */
    private synchronized int packetId() {
        nextPacketId = nextPacketId % 65535 + 1;
        return nextPacketId;
    }

    /** One packet, sent at once with whatever is queued before it; writers never interleave. */
    private synchronized void write(int header, byte[] body) throws IOException {
        queue(header, body);
        out.flush();
    }

    private synchronized void queue(int header, byte[] body) throws IOException {
        header(header, body.length);
        out.write(body);
    }

    /** The fixed header: type and flags, then the remaining length in 7-bit groups. */
    private void header(int header, int length) throws IOException {
        out.write(header);
        do {
            int digit = length % 128;
            length /= 128;
            out.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
    }

    private void readLoop() {
        boolean probing = false;
        int ownPings = 0; // PINGRESPs owed to our own idle probes, not to a caller of ping()
        try {
            while (true) {
                int header;
                try {
                    header = in.readUnsignedByte();
                } catch (SocketTimeoutException quiet) {
                    if (probing) {
                        throw new IOException("the broker did not answer a PINGREQ within " + IDLE);
                    }
                    probing = true;
                    ownPings++;
                    write(PINGREQ << 4, new byte[0]);
                    continue;
                }
                probing = false;
                byte[] body = readBody();
                int type = header >> 4;
                if (type == PUBLISH) {
                    published(header, body);
                } else if (type == PUBACK && body.length == 2) {
                    listener.acknowledged((body[0] & 0xff) << 8 | body[1] & 0xff);
                } else if (type == PINGRESP && ownPings > 0) {
                    ownPings--;
                } else if (type == SUBACK || type == PINGRESP) {
                    if (type == SUBACK && body.length == 3 && (body[2] & 0xff) == 0x80) {
                        throw new IOException("the broker refused the subscription");
                    }
                    replies.add(type);
                } else {
                    throw new IOException("unexpected MQTT packet type " + type);
                }
            }
        } catch (IOException | RuntimeException e) {
            if (!closing) {
                listener.failed("MQTT connection: " + e.getMessage());
            }
        }
    }

    private void published(int header, byte[] body) throws IOException {
        int qos = header >> 1 & 0x03;
        int topicLength = (body[0] & 0xff) << 8 | body[1] & 0xff;
        int at = 2 + topicLength;
        int id = 0;
        if (qos > 0) {
            id = (body[at] & 0xff) << 8 | body[at + 1] & 0xff;
            at += 2;
        }
        byte[] payload = Arrays.copyOfRange(body, at, body.length);
        // The receiver "has" the message now; the PUBACK is what its protocol then requires.
        listener.published(payload);
        if (qos == 1) {
            byte[] ack = {(byte) (id >> 8), (byte) id};
            if (in.available() > 0) {
                queue(PUBACK << 4, ack); // more is here already: its PUBACK goes out with theirs
            } else {
                write(PUBACK << 4, ack);
            }
        }
    }

    /** The remaining length (at most 4 bytes) and that many bytes, refusing anything over MAX_PACKET. */
    private byte[] readBody() throws IOException {
        int length = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 21) {
                throw new IOException("malformed MQTT remaining length");
            }
            int b = in.readUnsignedByte();
            length |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (length > MAX_PACKET) {
            throw new IOException("MQTT packet of " + length + " bytes is over the " + MAX_PACKET + " limit");
        }
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }

    private static void string(ByteArrayOutputStream body, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        body.write(bytes.length >> 8);
        body.write(bytes.length);
        body.write(bytes, 0, bytes.length);
    }

    /** DISCONNECT (best effort), then the socket; the reader ends with it. */
    @Override
    public void close() {
        closing = true;
        try {
            write(DISCONNECT << 4, new byte[0]);
        } catch (IOException e) {
            // already gone: closing anyway
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
