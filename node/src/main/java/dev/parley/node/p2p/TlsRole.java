package dev.parley.node.p2p;

/**
 * Which end of a simultaneously opened connection ({@link SimultaneousOpen}) runs the TLS client:
 * there both ends dialled, so neither is the client by nature. Both compute the same answer from
 * the two identity-key fingerprints: the lower one (in {@link String#compareTo} order) is the client.
 */
public enum TlsRole {
    CLIENT, SERVER;

    /** This end's role, from its own fingerprint and the peer's (the key the server vouched for). */
    public static TlsRole of(String ownFingerprint, String peerFingerprint) {
        int order = ownFingerprint.compareTo(peerFingerprint);
        if (order == 0) {
            throw new IllegalArgumentException("both ends have the same identity key: no TLS role can be decided");
        }
        return order < 0 ? CLIENT : SERVER;
    }
}
