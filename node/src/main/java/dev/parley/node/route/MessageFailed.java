package dev.parley.node.route;

import dev.parley.common.protocol.ServerMessage;

/**
 * A message that did not get through, named by its id and recipient so the user knows which one.
 * {@link Outcome#UNCONFIRMED} is the only outcome whose fate is unknown: it may have arrived. One
 * that never left this node says only why (the command that failed is the one just typed); its
 * id and recipient are still in {@link #id()} and {@link #to()}.
 */
public final class MessageFailed extends RuntimeException {
    private static final int PREVIEW_CHARS = 40;

    public enum Outcome {
        /** The server answered with an error (blocked, no such user, an id clash…); {@link #error()} says which. */
        REFUSED,
        /** It never left this node (no direct link for a private message, not logged in). */
        NOT_SENT,
        /** No answer came before the connection or the session ended, and it could not be sent again. */
        UNCONFIRMED
    }

    private final Outcome outcome;
    private final String to;
    private final String id;
    private final transient ServerMessage.Error error;

    private MessageFailed(Outcome outcome, String to, String id, String text, String why, ServerMessage.Error error) {
        super(switch (outcome) {
            case REFUSED -> "message " + id + " to " + to + " refused (" + preview(text) + "): " + why;
            case NOT_SENT -> why;
            case UNCONFIRMED -> "message " + id + " to " + to + " not confirmed (" + preview(text) + "): " + why;
        }, null, false, false);
        this.outcome = outcome;
        this.to = to;
        this.id = id;
        this.error = error;
    }

    static MessageFailed refused(String to, String id, String text, ServerMessage.Error error) {
        return new MessageFailed(Outcome.REFUSED, to, id, text, error.message(), error);
    }

    static MessageFailed notSent(String to, String id, String text, String why) {
        return new MessageFailed(Outcome.NOT_SENT, to, id, text, why, null);
    }

    static MessageFailed unconfirmed(String to, String id, String text, String why) {
        return new MessageFailed(Outcome.UNCONFIRMED, to, id, text, why, null);
    }

    public Outcome outcome() {
        return outcome;
    }

    public String to() {
        return to;
    }

    public String id() {
        return id;
    }

    /** The server's error when it refused the message, else null. */
    public ServerMessage.Error error() {
        return error;
    }

    /** Enough of the text for a person to tell which message it was (the id is for programs). */
    private static String preview(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return "\"" + (oneLine.length() > PREVIEW_CHARS ? oneLine.substring(0, PREVIEW_CHARS) + "…" : oneLine) + "\"";
    }
}
