package dev.parley.common.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * What two nodes say over a direct link, one length-prefixed JSON frame each (see
 * {@link FrameDecoder}). The link's TLS already proved each side's identity key.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = PeerFrame.Hello.class, name = "hello"),
        @JsonSubTypes.Type(value = PeerFrame.Chat.class, name = "message"),
        @JsonSubTypes.Type(value = PeerFrame.Receipt.class, name = "ack"),
        @JsonSubTypes.Type(value = PeerFrame.Ping.class, name = "ping"),
        @JsonSubTypes.Type(value = PeerFrame.Pong.class, name = "pong"),
})
public sealed interface PeerFrame {

    /** First frame each way: who this is (checked against the key the TLS handshake proved). */
    record Hello(String user) implements PeerFrame {
        public Hello {
            Username.require("user", user);
        }
    }

    /** A message; {@code id} is the sender's, the same on every path it may take. */
    record Chat(String id, long seq, String text, long sentAt, boolean privateOnly) implements PeerFrame {
        public Chat {
            Fields.require("id", id);
            if (id.length() > Limits.MAX_ID_CHARS) {
                throw new IllegalArgumentException("field 'id' is too long");
            }
            Fields.text("text", text);
        }
    }

    /** The receiver has the message with this id. */
    record Receipt(String id) implements PeerFrame {
        public Receipt {
            Fields.require("id", id);
        }
    }

    record Ping() implements PeerFrame {
    }

    record Pong() implements PeerFrame {
    }
}
