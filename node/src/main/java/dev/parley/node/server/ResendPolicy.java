package dev.parley.node.server;

import dev.parley.common.protocol.ClientMessage;

/**
 * Which requests the session sends again, on the next connection, when the server did not answer
 * them before the connection dropped. Only what is safe to repeat: a repeat must not do anything
 * twice, nor be answered in a way that misreports the first attempt.
 * <ul>
 * <li>{@code send} with a message id: the server stores a message once per id and sender, and
 *     answers a repeat with {@code sent} again; the receiver shows each id once.</li>
 * <li>{@code whoelse}, {@code whoelsesince}, {@code blocked}, {@code fingerprint}: they only read.</li>
 * </ul>
 * Everything else fails with {@link dev.parley.node.route.ServerPath.NotAnswered}, saying it may or
 * may not have taken effect: {@code broadcast} (not deduplicated: everyone would get it twice);
 * {@code block}, {@code unblock}, {@code getaddress}, {@code consent}, {@code deny},
 * {@code stopprivate} (a repeat of one that took effect is refused, e.g. "already blocked", which
 * would tell the user it failed); {@code announce} (made afresh at every welcome).
 */
public final class ResendPolicy {
    private ResendPolicy() {
    }

    public static boolean safeToRepeat(ClientMessage request) {
        return request instanceof ClientMessage.Send send && send.messageId() != null
                || request instanceof ClientMessage.WhoElse
                || request instanceof ClientMessage.WhoElseSince
                || request instanceof ClientMessage.ListBlocked
                || request instanceof ClientMessage.Fingerprint;
    }

    /** The request as the user would have typed it, for errors that must say which one failed. */
    public static String describe(ClientMessage request) {
        if (request instanceof ClientMessage.Send s) {
            return "message " + s.to();
        } else if (request instanceof ClientMessage.Broadcast) {
            return "broadcast";
        } else if (request instanceof ClientMessage.WhoElse) {
            return "whoelse";
        } else if (request instanceof ClientMessage.WhoElseSince w) {
            return "whoelsesince " + w.seconds();
        } else if (request instanceof ClientMessage.Block b) {
            return "block " + b.user();
        } else if (request instanceof ClientMessage.Unblock u) {
            return "unblock " + u.user();
        } else if (request instanceof ClientMessage.ListBlocked) {
            return "blocked";
        } else if (request instanceof ClientMessage.GetAddress g) {
            return "getaddress " + g.user();
        } else if (request instanceof ClientMessage.Consent c) {
            return "consent " + c.user();
        } else if (request instanceof ClientMessage.Deny d) {
            return "deny " + d.user();
        } else if (request instanceof ClientMessage.StopPrivate s) {
            return "stopprivate " + s.user();
        } else if (request instanceof ClientMessage.Fingerprint f) {
            return "fingerprint " + f.user();
        } else if (request instanceof ClientMessage.Announce) {
            return "announcing this node's identity";
        } else if (request instanceof ClientMessage.Logout) {
            return "logout";
        }
        return request.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }
}
