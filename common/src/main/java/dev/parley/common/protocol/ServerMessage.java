package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;

/** Everything the server pushes to a node. Replies to a request carry its id as {@code re}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ServerMessage.Welcome.class, name = "welcome"),
        @JsonSubTypes.Type(value = ServerMessage.Deliver.class, name = "message"),
        @JsonSubTypes.Type(value = ServerMessage.BroadcastMessage.class, name = "broadcast"),
        @JsonSubTypes.Type(value = ServerMessage.Presence.class, name = "presence"),
        @JsonSubTypes.Type(value = ServerMessage.Sent.class, name = "sent"),
        @JsonSubTypes.Type(value = ServerMessage.Users.class, name = "users"),
        @JsonSubTypes.Type(value = ServerMessage.BlockList.class, name = "blocked"),
        @JsonSubTypes.Type(value = ServerMessage.Ok.class, name = "ok"),
        @JsonSubTypes.Type(value = ServerMessage.Error.class, name = "error"),
        @JsonSubTypes.Type(value = ServerMessage.Closing.class, name = "closing"),
        @JsonSubTypes.Type(value = ServerMessage.Pong.class, name = "pong"),
        @JsonSubTypes.Type(value = ServerMessage.ConsentRequest.class, name = "consent-request"),
        @JsonSubTypes.Type(value = ServerMessage.Introduction.class, name = "introduction"),
        @JsonSubTypes.Type(value = ServerMessage.ConsentRefused.class, name = "consent-refused"),
        @JsonSubTypes.Type(value = ServerMessage.PrivateStopped.class, name = "private-stopped"),
        @JsonSubTypes.Type(value = ServerMessage.FingerprintInfo.class, name = "fingerprint"),
        @JsonSubTypes.Type(value = ServerMessage.Delivered.class, name = "delivered"),
        @JsonSubTypes.Type(value = ServerMessage.PunchSignal.class, name = "punch"),
        @JsonSubTypes.Type(value = ServerMessage.ContactList.class, name = "contacts"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface ServerMessage {

    /** A message that answers a request; {@code re} is the request's id (null if it had none). */
    sealed interface Reply extends ServerMessage {
        String re();
    }

    /**
     * What the server sends unasked during a session (not a reply, not the session's own
     * welcome or closing). Handled exhaustively through {@link Handler}: a new kind of push does
     * not compile until every handler says what to do with it.
     */
    sealed interface Push extends ServerMessage {
        <R> R accept(Handler<R> handler);

        interface Handler<R> {
            R deliver(Deliver message);

            R delivered(Delivered message);

            R broadcast(BroadcastMessage message);

            R presence(Presence message);

            R consentRequest(ConsentRequest message);

            R introduction(Introduction message);

            R consentRefused(ConsentRefused message);

            R privateStopped(PrivateStopped message);

            R punchSignal(PunchSignal message);
        }
    }

    /** Sent once when a session opens. */
    record Welcome(String user, long serverTime) implements ServerMessage {
    }

    /** How a delivered message reached the server's side of the recipient. */
    enum Via {
        /** Recipient was online when it was sent. */
        relay,
        /** Stored while the recipient was offline, delivered at login. */
        offline
    }

    /** A message for this user. The node acknowledges it with {@code ack}; until then it may come again. */
    record Deliver(String messageId, String from, String to, String text, Via via, long sentAt)
            implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.deliver(this);
        }
    }

    /**
     * The recipient's node acknowledged a message you sent through the server: an end-to-end
     * receipt (sent only while you are online).
     */
    record Delivered(String messageId, String to) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.delivered(this);
        }
    }

    /** A broadcast from another user; not stored, not acknowledged. */
    record BroadcastMessage(String from, String text, long sentAt) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.broadcast(this);
        }
    }

    enum PresenceEvent { login, logout }

    /** Another user logged in or out, at {@code at} on the server's clock. */
    record PresenceChange(String user, PresenceEvent event, long at) {
        public PresenceChange {
            Username.require("user", user);
            Fields.require("event", event);
        }
    }

    /**
     * Other users who logged in or out, in the order it happened. The server sends what piled up
     * for a session as one frame rather than a frame per change: never empty, at most
     * {@link #MAX_EVENTS} changes (well inside {@link Limits#MAX_FRAME_BYTES}).
     */
    record Presence(List<PresenceChange> events) implements Push {
        public static final int MAX_EVENTS = 256;

        public Presence {
            Fields.require("events", events);
            if (events.isEmpty() || events.size() > MAX_EVENTS) {
                throw new IllegalArgumentException("field 'events' must hold 1 to " + MAX_EVENTS + " changes");
            }
            if (events.stream().anyMatch(Objects::isNull)) {
                throw new IllegalArgumentException("field 'events' holds a null");
            }
            events = List.copyOf(events);
        }

        /** A frame with a single change. */
        public static Presence of(String user, PresenceEvent event, long at) {
            return new Presence(List.of(new PresenceChange(user, event, at)));
        }

        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.presence(this);
        }
    }

    /** The server took a {@code send}: relayed now, or stored for later. */
    record Sent(String re, String messageId, String to, Via via) implements Reply {
    }

    /** Answer to {@code whoelse} and {@code whoelsesince}, sorted. */
    record Users(String re, List<String> users) implements Reply {
    }

    /** Answer to {@code blocked}, sorted. */
    record BlockList(String re, List<String> users) implements Reply {
    }

    record Ok(String re, String message) implements Reply {
    }

    /** A refused request or an unreadable frame; the session stays open. */
    record Error(String re, ErrorCode code, String message) implements Reply {
    }

    enum CloseReason {
        takeover, idle, logout, heartbeat, shutdown,
        /** The node stopped reading: more was waiting to be sent to it than the server holds per session. */
        @JsonProperty("slow-consumer") slowConsumer
    }

    /** The server is about to close this session, and why. */
    record Closing(CloseReason reason, String message) implements ServerMessage {
    }

    record Pong(String re) implements Reply {
    }

    /** {@code from} asks for a direct link with you; answer {@code consent} or {@code deny} before {@code expiresAt}. */
    record ConsentRequest(String from, String fingerprint, long expiresAt) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.consentRequest(this);
        }
    }

    /**
     * Consent was given: the server vouches that {@code user} holds {@code identityKey}. The asker
     * gets the {@code candidates} to dial, typed, and dials ({@code dial}); the consenting side only learns
     * whose key to accept. {@code keyChanged} warns that the key differs from the one you saw last.
     */
    record Introduction(String user, String identityKey, String fingerprint, boolean keyChanged,
            List<Candidate> candidates, boolean dial) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.introduction(this);
        }

        public Introduction {
            candidates = Candidate.list("candidates", candidates);
        }
    }

    enum RefusalReason { denied, expired }

    /** Your {@code getaddress} to {@code user} was denied or not answered in time. */
    record ConsentRefused(String user, RefusalReason reason, String message) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.consentRefused(this);
        }
    }

    /** {@code user} (or a block) ended the direct link and withdrew consent. */
    record PrivateStopped(String user, String message) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.privateStopped(this);
        }
    }

    /** Answer to {@code fingerprint}: the identity key fingerprint the server holds for {@code user}. */
    record FingerprintInfo(String re, String user, String fingerprint) implements Reply {
    }

    /**
     * A contact's step of a hole punch ({@link ClientMessage.Punch}), passed on by the server with
     * the contact's current {@code candidates} (what it announced plus where the server sees it):
     * the server vouches that {@code from} sent it, and sends it only between contacts.
     */
    record PunchSignal(String from, PunchPhase phase, String nonce, List<Candidate> candidates) implements Push {
        @Override
        public <R> R accept(Handler<R> handler) {
            return handler.punchSignal(this);
        }

        public PunchSignal {
            Username.require("from", from);
            if (phase == null) {
                throw new IllegalArgumentException("field 'phase' is required");
            }
            PunchPhase.requireNonce(nonce);
            candidates = Candidate.list("candidates", candidates);
        }
    }

    /** One contact: a user with standing consent both ways. {@code fingerprint} is null before its node announced a key. */
    record Contact(String user, boolean online, String fingerprint) {
    }

    /** Answer to {@code contacts}, sorted by name. */
    record ContactList(String re, List<Contact> contacts) implements Reply {
        public ContactList {
            contacts = contacts == null ? List.of() : List.copyOf(contacts);
        }
    }
}
