package dev.parley.rendezvous.session;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.block.BlockService;
import dev.parley.rendezvous.consent.ConsentBroker;
import dev.parley.rendezvous.presence.ChatSession;
import dev.parley.rendezvous.presence.PresenceService;
import dev.parley.rendezvous.relay.RelayService;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import org.jboss.logging.Logger;

/** Carries out one decoded command for a session and answers it. Never lets an exception escape. */
@ApplicationScoped
public class CommandDispatcher {
    private static final Logger LOG = Logger.getLogger(CommandDispatcher.class);

    private final RelayService relay;
    private final PresenceService presence;
    private final BlockService blocks;
    private final LoginService logins;
    private final ConsentBroker consent;
    private final Clock clock;

    public CommandDispatcher(RelayService relay, PresenceService presence, BlockService blocks, LoginService logins,
            ConsentBroker consent, Clock clock) {
        this.consent = consent;
        this.relay = relay;
        this.presence = presence;
        this.blocks = blocks;
        this.logins = logins;
        this.clock = clock;
    }

    public void dispatch(ChatSession session, ClientMessage message) {
        long now = clock.millis();
        if (message.isCommand()) {
            session.commanded(now);
        } else {
            session.heard();
        }
        try {
            ServerMessage reply = handle(session, message);
            if (reply != null) {
                session.send(reply);
            }
        } catch (Refusal r) {
            session.send(new ServerMessage.Error(message.id(), r.code(), r.getMessage()));
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s failed for %s", message.getClass().getSimpleName(), session);
            session.send(new ServerMessage.Error(message.id(), ErrorCode.INTERNAL, "server error; please try again"));
        }
    }

    /** The reply to send, or null when the command has none. (Java 17: no pattern switch yet.) */
    private ServerMessage handle(ChatSession session, ClientMessage message) {
        String re = message.id();
        if (message instanceof ClientMessage.Send m) {
            return relay.send(session, re, m.to(), m.text(), m.messageId());
        }
        if (message instanceof ClientMessage.Broadcast m) {
            int reached = relay.broadcast(session, m.text());
            return new ServerMessage.Ok(re, "broadcast to " + reached + (reached == 1 ? " user" : " users"));
        }
        if (message instanceof ClientMessage.WhoElse) {
            return new ServerMessage.Users(re, presence.whoElse(session));
        }
        if (message instanceof ClientMessage.WhoElseSince m) {
            return new ServerMessage.Users(re, presence.whoElseSince(session, m.seconds()));
        }
        if (message instanceof ClientMessage.Block m) {
            return new ServerMessage.Ok(re, "blocked " + blocks.block(session, m.user()));
        }
        if (message instanceof ClientMessage.Unblock m) {
            return new ServerMessage.Ok(re, "unblocked " + blocks.unblock(session, m.user()));
        }
        if (message instanceof ClientMessage.ListBlocked) {
            return new ServerMessage.BlockList(re, blocks.blocked(session));
        }
        if (message instanceof ClientMessage.Ack m) {
            relay.acknowledge(session, m.messageId());
            return null;
        }
        if (message instanceof ClientMessage.Ping) {
            return new ServerMessage.Pong(re);
        }
        if (message instanceof ClientMessage.Announce m) {
            return consent.announce(session, m);
        }
        if (message instanceof ClientMessage.GetAddress m) {
            return consent.getAddress(session, re, m.user());
        }
        if (message instanceof ClientMessage.Consent m) {
            return consent.consent(session, re, m.user());
        }
        if (message instanceof ClientMessage.Deny m) {
            return consent.deny(session, re, m.user());
        }
        if (message instanceof ClientMessage.StopPrivate m) {
            return consent.stopPrivate(session, re, m.user());
        }
        if (message instanceof ClientMessage.Fingerprint m) {
            return consent.fingerprint(session, re, m.user());
        }
        if (message instanceof ClientMessage.Logout) {
            logins.logout(session.key()); // ends this session too
            return null;
        }
        throw new IllegalStateException("no handler for " + message.getClass().getSimpleName());
    }
}
