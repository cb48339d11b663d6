package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
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

    /** A message to one user: relayed at once if online, stored until acknowledged otherwise. */
    record Send(String id, String to, String text) implements ClientMessage {
        public Send {
            id = Fields.optionalId(id);
            Username.require("to", to);
            Fields.text("text", text);
        }
    }

    /** A message to every online user without a block either way. */
    record Broadcast(String id, String text) implements ClientMessage {
        public Broadcast {
            id = Fields.optionalId(id);
            Fields.text("text", text);
        }
    }

    record WhoElse(String id) implements ClientMessage {
        public WhoElse {
            id = Fields.optionalId(id);
        }
    }

    /** Users online now or at any time in the last {@code seconds}. */
    record WhoElseSince(String id, Long seconds) implements ClientMessage {
        public WhoElseSince {
            id = Fields.optionalId(id);
            Fields.require("seconds", seconds);
            if (seconds < 0) {
                throw new IllegalArgumentException("field 'seconds' must not be negative");
            }
        }
    }

    record Block(String id, String user) implements ClientMessage {
        public Block {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    record Unblock(String id, String user) implements ClientMessage {
        public Unblock {
            id = Fields.optionalId(id);
            Username.require("user", user);
        }
    }

    record ListBlocked(String id) implements ClientMessage {
        public ListBlocked {
            id = Fields.optionalId(id);
        }
    }

    /** The node has shown a delivered message: the server may forget it. */
    record Ack(String id, String messageId) implements ClientMessage {
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
        public Ping {
            id = Fields.optionalId(id);
        }

        @Override
        public boolean isCommand() {
            return false;
        }
    }

    /** Ends the session and invalidates its token. */
    record Logout(String id) implements ClientMessage {
        public Logout {
            id = Fields.optionalId(id);
        }
    }
}
