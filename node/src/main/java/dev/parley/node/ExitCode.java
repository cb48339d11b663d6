package dev.parley.node;

/** What the node's exit status means; scripts rely on these. */
public final class ExitCode {
    /** Input ended and everything sent was confirmed (by the server, or by the peer over a direct link). */
    public static final int OK = 0;
    /** Could not log in: wrong password, locked, registration refused, server not trusted or unreachable. */
    public static final int LOGIN_FAILED = 1;
    /** Bad command-line options. */
    public static final int USAGE = 2;
    /**
     * Input ended but something stayed unconfirmed: no answer came (the server stayed unreachable,
     * or the session ended first), or the connection dropped and it was not safe to send again.
     * Each is reported as an error that names it (a message by its id and recipient).
     */
    public static final int UNANSWERED = 3;
    /** The server ended the session (logged in elsewhere, idle timeout) before input ended. */
    public static final int SESSION_ENDED = 4;

    private ExitCode() {
    }
}
