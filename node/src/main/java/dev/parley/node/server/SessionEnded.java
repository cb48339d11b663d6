package dev.parley.node.server;

/** Why a session is over for good (no reconnect): the user must log in again, or the node exits. */
public enum SessionEnded {
    /** The same account logged in somewhere else. */
    TAKEOVER,
    /** The server logged the user out for being idle. */
    IDLE,
    /** The user logged out. */
    LOGOUT,
    /** The token was refused and logging in again failed. */
    UNAUTHENTICATED,
    /** The server's certificate changed; the node will not talk to it. */
    UNTRUSTED,
    /** The node is shutting down. */
    CLOSED
}
