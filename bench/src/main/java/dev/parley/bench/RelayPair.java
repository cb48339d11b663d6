package dev.parley.bench;

import java.time.Duration;

/**
 * One sender and one receiver through some relay, as {@link RelayLoad} drives them: the same
 * load generator for the Parley server, the nodes and the MQTT broker. The receiver acknowledges
 * as its own protocol requires (Parley: ack; MQTT QoS 1: PUBACK) without being asked.
 */
interface RelayPair extends AutoCloseable {
    /** The row name in the table. */
    String subject();

    /** When a burst counts as done: what the sender must have heard back, besides the receiver having all. */
    String countedAt();

    /** Fails with a clear error if either end is not connected any more. */
    default void ready() throws Exception {
    }

    /** Sends one message with this text (asynchronously or not; never waits for the receiver). */
    void send(String text) throws Exception;

    /** Waits for the receiver to have the next message; returns {@link System#nanoTime()} when it had it. */
    long awaitReceived(Duration limit) throws Exception;

    /**
     * Waits for the sender to hear back about the next message (Parley: delivered; MQTT QoS 1:
     * PUBACK) and returns when it did; without such a receipt, returns 0 at once.
     */
    long awaitConfirmed(Duration limit) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
