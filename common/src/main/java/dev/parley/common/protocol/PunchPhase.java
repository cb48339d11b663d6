package dev.parley.common.protocol;

import java.util.regex.Pattern;

/**
 * The steps of a hole punch between two contacts, relayed by the server (as libp2p's DCUtR does
 * over a relay): the initiator sends {@code connect} and starts a clock; the other side answers
 * {@code ready} and registers the attempt; on {@code ready} the initiator knows the round trip
 * through the server, sends {@code sync}, and starts dialing half a round trip later, when
 * {@code sync} reaches the other side, which starts dialing at once.
 */
public enum PunchPhase {
    connect, ready, sync;

    /** 8 to 64 letters, digits, '-' or '_': enough for a random nonce, never a place to smuggle text. */
    public static final Pattern NONCE = Pattern.compile("[A-Za-z0-9_-]{8,64}");

    static void requireNonce(String nonce) {
        if (nonce == null || !NONCE.matcher(nonce).matches()) {
            throw new IllegalArgumentException("field 'nonce' must be 8-64 of letters, digits, '-' and '_'");
        }
    }
}
