package dev.parley.node.shell;

/**
 * Wakes the shell's blocked {@code readLine} when the server ends the session, so the user is told
 * at once and the line being typed is not run as a command of a session that is gone. It is how
 * JLine itself handles Ctrl-C: the reading thread is interrupted and {@code readLine} throws
 * {@code UserInterruptException}. Only a thread that is reading is interrupted, and a late
 * interrupt is cleared, so no other wait of the shell's is ever cut short.
 */
final class ReadInterrupter {
    private final Thread reader;
    private boolean reading;
    private boolean ended;

    ReadInterrupter(Thread reader) {
        this.reader = reader;
    }

    /** Before {@code readLine}, on the reading thread: false if the session has ended already. */
    synchronized boolean startReading() {
        if (ended) {
            return false;
        }
        reading = true;
        return true;
    }

    /** After {@code readLine}, however it returned. */
    synchronized void stopReading() {
        reading = false;
        if (ended) {
            Thread.interrupted(); // an interrupt that arrived after the line was read
        }
    }

    /** The server ended the session (any thread). */
    synchronized void sessionEnded() {
        ended = true;
        if (reading) {
            reader.interrupt();
        }
    }

    synchronized boolean ended() {
        return ended;
    }
}
