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
                || request instanceof ClientMessage.Fingerprint
                || request instanceof ClientMessage.ListContacts;
    }

    /** The request as the user would have typed it, for errors that must say which one failed. */
    public static String describe(ClientMessage request) {
        return request.accept(AS_TYPED);
    }

    /** Every kind of request, as typed: the compiler asks for a new kind's words. */
    private static final ClientMessage.Handler<String> AS_TYPED = new ClientMessage.Handler<>() {
        @Override
        public String send(ClientMessage.Send m) {
            return "message " + m.to();
        }

        @Override
        public String broadcast(ClientMessage.Broadcast m) {
            return "broadcast";
        }

        @Override
        public String whoElse(ClientMessage.WhoElse m) {
            return "whoelse";
        }

        @Override
        public String whoElseSince(ClientMessage.WhoElseSince m) {
            return "whoelsesince " + m.seconds();
        }

        @Override
        public String block(ClientMessage.Block m) {
            return "block " + m.user();
        }

        @Override
        public String unblock(ClientMessage.Unblock m) {
            return "unblock " + m.user();
        }

        @Override
        public String listBlocked(ClientMessage.ListBlocked m) {
            return "blocked";
        }

        @Override
        public String ack(ClientMessage.Ack m) {
            return "acknowledging message " + m.messageId();
        }

        @Override
        public String ping(ClientMessage.Ping m) {
            return "ping";
        }

        @Override
        public String announce(ClientMessage.Announce m) {
            return "announcing this node's identity";
        }

        @Override
        public String getAddress(ClientMessage.GetAddress m) {
            return "getaddress " + m.user();
        }

        @Override
        public String consent(ClientMessage.Consent m) {
            return "consent " + m.user();
        }

        @Override
        public String deny(ClientMessage.Deny m) {
            return "deny " + m.user();
        }

        @Override
        public String stopPrivate(ClientMessage.StopPrivate m) {
            return "stopprivate " + m.user();
        }

        @Override
        public String fingerprint(ClientMessage.Fingerprint m) {
            return "fingerprint " + m.user();
        }

        @Override
        public String punch(ClientMessage.Punch m) {
            return "punch " + m.user();
        }

        @Override
        public String listContacts(ClientMessage.ListContacts m) {
            return "contacts";
        }

        @Override
        public String logout(ClientMessage.Logout m) {
            return "logout";
        }
    };
}
