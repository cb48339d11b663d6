package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import dev.parley.common.identity.IdentityKeys;
import java.util.List;
import java.util.Optional;

/**
 * Everything a node sends the server over its session. {@code id} is an optional correlation id
 * chosen by the node; the server's reply to that request carries it back as {@code re}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ClientMessage.Send.class, name = "send"),
        @JsonSubTypes.Type(value = ClientMessage.Broadcast.class, name = "broadcast"),
        @JsonSubTypes.Type(value = ClientMessage.WhoElse.class, name = "whoelse"),
        @JsonSubTypes.Type(value = ClientMessage.WhoElseSince.class, name = "whoelsesince"),
        @JsonSubTypes.Type(value = ClientMessage.Block.class, name = "block"),
        @JsonSubTypes.Type(value = ClientMessage.Unblock.class, name = "unblock"),
        @JsonSubTypes.Type(value = ClientMessage.ListBlocked.class, name = "blocked"),
        @JsonSubTypes.Type(value = ClientMessage.Ack.class, name = "ack"),
        @JsonSubTypes.Type(value = ClientMessage.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = ClientMessage.Logout.class, name = "logout"),
        @JsonSubTypes.Type(value = ClientMessage.Announce.class, name = "announce"),
        @JsonSubTypes.Type(value = ClientMessage.GetAddress.class, name = "getaddress"),
        @JsonSubTypes.Type(value = ClientMessage.Consent.class, name = "consent"),
        @JsonSubTypes.Type(value = ClientMessage.Deny.class, name = "deny"),
        @JsonSubTypes.Type(value = ClientMessage.StopPrivate.class, name = "stopprivate"),
        @JsonSubTypes.Type(value = ClientMessage.Fingerprint.class, name = "fingerprint"),
        @JsonSubTypes.Type(value = ClientMessage.Punch.class, name = "punch"),
        @JsonSubTypes.Type(value = ClientMessage.ListContacts.class, name = "contacts"),
})
public sealed interface ClientMessage {

    /** The node's correlation id, if it set one. */
    String id();

    default Optional<String> correlation() {
        return Optional.ofNullable(id());
    }

    /** Whether this counts as user activity for the idle timeout (heartbeats and acks do not). */
    default boolean isCommand() {
        return true;
    }

    /**
     * Takes this message to the handler's method for its kind. Every kind has one, so a new kind of
     * message does not compile until every handler (the server's dispatcher among them) handles it.
     */
    <R> R accept(Handler<R> handler);

    /** One method per kind of message. */
    interface Handler<R> {
        R send(Send message);

        R broadcast(Broadcast message);

        R whoElse(WhoElse message);

        R whoElseSince(WhoElseSince message);

        R block(Block message);

        R unblock(Unblock message);

        R listBlocked(ListBlocked message);

        R ack(Ack message);

        R ping(Ping message);

        R announce(Announce message);

        R getAddress(GetAddress message);

        R consent(Consent message);

        R deny(Deny message);

        R stopPrivate(StopPrivate message);

        R fingerprint(Fingerprint message);

        R punch(Punch message);

        R listContacts(ListContacts message);

        R logout(Logout message);
    }

    /** A message to one user: relayed at once if online, stored until acknowledged otherwise. */
    record Send(String id, String to, String text, String messageId) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.send(this);
        }

        public Send {
            id = Fields.optionalId(id);
            Username.require("to", to);
            Fields.text("text", text);
            if (messageId != null && !MESSAGE_ID.matcher(messageId).matches()) {
                throw new IllegalArgumentException("field 'messageId' must be 1-64 of letters, digits, '-' and '_'");
            }
        }

        /** A message whose id the server picks. */
        public Send(String id, String to, String text) {
            this(id, to, text, null);
        }
    }

    /**
     * A sender-chosen message id: the same message keeps it on every path (direct, relay), so the
     * receiver can drop the copies.
     */
    java.util.regex.Pattern MESSAGE_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A message to every online user without a block either way. */
    record Broadcast(String id, String text) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.broadcast(this);
        }

        public Broadcast {
            id = Fields.optionalId(id);
            Fields.text("text", text);
        }
    }

    record WhoElse(String id) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.whoElse(this);
        }

        public WhoElse {
            id = Fields.optionalId(id);
        }
    }

    /** Users online now or at any time in the last {@code seconds}. */
    record WhoElseSince(String id, Long seconds) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.whoElseSince(this);
        }

        public WhoElseSince {
            id = Fields.optionalId(id);
            Fields.require("seconds", seconds);
            if (seconds < 0) {
                throw new IllegalArgumentException("field 'seconds' must not be negative");
            }
        }
    }

    record Block(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.block(this);
        }

        public Block {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    record Unblock(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.unblock(this);
        }

        public Unblock {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    record ListBlocked(String id) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.listBlocked(this);
        }

        public ListBlocked {
            id = Fields.optionalId(id);
        }
    }

    /** The node has shown a delivered message: the server may forget it. */
    record Ack(String id, String messageId) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.ack(this);
        }

        public Ack {
            id = Fields.optionalId(id);
            Fields.require("messageId", messageId);
        }

        @Override
        public boolean isCommand() {
            return false;
        }
    }

    /** Application-level heartbeat; the server answers with {@code pong}. */
    record Ping(String id) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.ping(this);
        }

        public Ping {
            id = Fields.optionalId(id);
        }

        @Override
        public boolean isCommand() {
            return false;
        }
    }

    /**
     * Sent by the node once its session opens: its identity key, and where peers can reach it.
     * {@code candidates} are where peers might reach it, typed by where each came from; unless
     * {@code exclusive} (the user gave {@code --advertise}), the server adds the address it sees the
     * node connect from, with {@code p2pPort}, as an {@code observed} candidate.
     */
    record Announce(String id, String identityKey, Integer p2pPort, List<Candidate> candidates, Boolean exclusive)
            implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.announce(this);
        }

        public Announce {
            id = Fields.optionalId(id);
            Fields.require("identityKey", identityKey);
            IdentityKeys.decode(identityKey);
            if (p2pPort != null && (p2pPort < 1 || p2pPort > 65535)) {
                throw new IllegalArgumentException("field 'p2pPort' must be a port number");
            }
            candidates = Candidate.list("candidates", candidates);
            exclusive = exclusive != null && exclusive;
        }

        @Override
        public boolean isCommand() {
            return false;
        }
    }

    /** Asks the server to introduce this user to {@code user}, who must consent. */
    record GetAddress(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.getAddress(this);
        }

        public GetAddress {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    /** Answers a consent request from {@code user}: yes. */
    record Consent(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.consent(this);
        }

        public Consent {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    /** Answers a consent request from {@code user}: no. */
    record Deny(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deny(this);
        }

        public Deny {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    /** Withdraws consent both ways and tells the other side to close the link. */
    record StopPrivate(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.stopPrivate(this);
        }

        public StopPrivate {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    /** The identity key fingerprint the server holds for {@code user}. */
    record Fingerprint(String id, String user) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.fingerprint(this);
        }

        public Fingerprint {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    /** Ends the session and invalidates its token. */
    record Logout(String id) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.logout(this);
        }

        public Logout {
            id = Fields.optionalId(id);
        }
    }

    /**
     * One step of a hole punch with a contact, for the server to pass on (with this node's current
     * candidates) as a {@link ServerMessage.PunchSignal}. {@code nonce} ties the steps of one
     * attempt together; the server passes it on only between contacts (standing consent), both online.
     */
    record Punch(String id, String user, PunchPhase phase, String nonce) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.punch(this);
        }

        public Punch {
            id = Fields.optionalId(id);
            Username.require("user", user);
            Fields.require("phase", phase);
            PunchPhase.requireNonce(nonce);
        }

        @Override
        public boolean isCommand() {
            return false;
        }
    }

    /** The users this user has standing consent with (contacts), whether each is online, and its fingerprint. */
    record ListContacts(String id) implements ClientMessage {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.listContacts(this);
        }

        public ListContacts {
            id = Fields.optionalId(id);
        }
    }
}
