package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * Subjects {@code mqtt-qos0} and {@code mqtt-qos1}: a publisher and a subscriber on one topic of
 * the broker. At QoS 1 the subscriber PUBACKs every message and the publisher's receipt is the
 * broker's PUBACK (MQTT has no end-to-end receipt); at QoS 0 there is no receipt at all.
 */
final class MqttPair implements RelayPair {
    private final Arrivals arrivals = new Arrivals();
    private final int qos;
    private final byte[] topic;
    private volatile int expectedLength = -1;
    private MqttClient sender;
    private MqttClient receiver;

    private MqttPair(int qos) {
        this.qos = qos;
        this.topic = ("bench/relay/qos" + qos).getBytes(StandardCharsets.UTF_8);
    }

    /** Connects both clients and subscribes the receiver; returns once the broker has the subscription. */
    static MqttPair open(SSLContext tls, int port, int qos) throws Exception {
        MqttPair pair = new MqttPair(qos);
        try {
            pair.receiver = MqttClient.connect(tls, port, "bench-receiver-qos" + qos, pair.new Receiver());
            pair.receiver.subscribe(new String(pair.topic, StandardCharsets.UTF_8), qos);
            pair.sender = MqttClient.connect(tls, port, "bench-sender-qos" + qos, pair.new Sender());
            return pair;
        } catch (Exception e) {
            pair.close();
            throw e;
        }
    }

    private final class Receiver implements MqttClient.Listener {
        @Override
        public void published(byte[] payload) {
            if (payload.length != expectedLength) {
                arrivals.failed("the receiver got " + payload.length + " bytes, not " + expectedLength);
            } else {
                arrivals.received();
            }
        }

        @Override
        public void acknowledged(int packetId) {
            arrivals.failed("the receiver got a PUBACK though it publishes nothing");
        }

        @Override
        public void failed(String why) {
            arrivals.failed("receiver: " + why);
        }
    }

    private final class Sender implements MqttClient.Listener {
        @Override
        public void published(byte[] payload) {
            arrivals.failed("the sender got a message though it subscribes to nothing");
        }

        @Override
        public void acknowledged(int packetId) {
            arrivals.confirmed();
        }

        @Override
        public void failed(String why) {
            arrivals.failed("sender: " + why);
        }
    }

    @Override
    public String subject() {
        return "mqtt-qos" + qos;
    }

    @Override
    public String countedAt() {
        return qos == 0 ? "receiver" : "receiver+PUBACK";
    }

    @Override
    public void ready() throws Exception {
        arrivals.check(subject());
        sender.ping();
        receiver.ping();
    }

    @Override
    public void send(String text) throws Exception {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        expectedLength = payload.length;
        sender.publish(topic, payload, qos);
    }

    /** Waiting is when the queued messages go out: one at a time, each at once; a burst, in full records. */
    @Override
    public long awaitReceived(Duration limit) throws Exception {
        sender.flush();
        return arrivals.awaitReceived(limit, subject());
    }

    @Override
    public long awaitConfirmed(Duration limit) throws Exception {
        sender.flush();
        return qos == 0 ? 0 : arrivals.awaitConfirmed(limit, subject());
    }

    @Override
    public void close() {
        for (MqttClient client : new MqttClient[] {sender, receiver}) {
            if (client != null) {
                client.close();
            }
        }
    }
}
