package dev.parley.rendezvous.session;

import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import dev.parley.rendezvous.account.LoginService;
import dev.parley.rendezvous.block.BlockService;
import dev.parley.rendezvous.consent.ConsentBroker;
import dev.parley.rendezvous.core.Peers;
import dev.parley.rendezvous.core.Refusal;
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
    private final Peers peers;

    public CommandDispatcher(RelayService relay, PresenceService presence, BlockService blocks, LoginService logins,
            ConsentBroker consent, Clock clock, Peers peers) {
        this.peers = peers;
        this.consent = consent;
        this.relay = relay;
        this.presence = presence;
        this.blocks = blocks;
        this.logins = logins;
        this.clock = clock;
    }

    /**
     * Whether the command can be carried out without waiting on the database, so on the event loop:
     * a message to a user whose account and blocks are in memory, an acknowledgement, a ping. (An
     * acknowledgement may read the store for a message pushed on an earlier session; rare.)
     */
    public boolean runsWithoutBlocking(ChatSession session, ClientMessage message) {
        return message instanceof ClientMessage.Ping || message instanceof ClientMessage.Ack
                || message instanceof ClientMessage.Send send && peers.reachableWithoutLookUp(session.key(), send.to());
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

    /** The reply to send, or null when the command has none. */
    private ServerMessage handle(ChatSession session, ClientMessage message) {
        return message.accept(new Commands(session));
    }

    /** What each kind of message does for one session; the compiler checks that every kind is here. */
    private final class Commands implements ClientMessage.Handler<ServerMessage> {
        private final ChatSession session;

        Commands(ChatSession session) {
            this.session = session;
        }

        @Override
        public ServerMessage send(ClientMessage.Send m) {
            relay.send(session, m.id(), m.to(), m.text(), m.messageId());
            return null; // 'sent' follows once the message is stored

        }

        @Override
        public ServerMessage broadcast(ClientMessage.Broadcast m) {
            int reached = relay.broadcast(session, m.text());
            return new ServerMessage.Ok(m.id(), "broadcast to " + reached + (reached == 1 ? " user" : " users"));
        }

        @Override
        public ServerMessage whoElse(ClientMessage.WhoElse m) {
            return new ServerMessage.Users(m.id(), presence.whoElse(session));
        }

        @Override
        public ServerMessage whoElseSince(ClientMessage.WhoElseSince m) {
            return new ServerMessage.Users(m.id(), presence.whoElseSince(session, m.seconds()));
        }

        @Override
        public ServerMessage block(ClientMessage.Block m) {
            return new ServerMessage.Ok(m.id(), "blocked " + blocks.block(session, m.user()));
        }

        @Override
        public ServerMessage unblock(ClientMessage.Unblock m) {
            return new ServerMessage.Ok(m.id(), "unblocked " + blocks.unblock(session, m.user()));
        }

        @Override
        public ServerMessage listBlocked(ClientMessage.ListBlocked m) {
            return new ServerMessage.BlockList(m.id(), blocks.blocked(session));
        }

        @Override
        public ServerMessage ack(ClientMessage.Ack m) {
            relay.acknowledge(session, m.messageId());
            return null;
        }

        @Override
        public ServerMessage ping(ClientMessage.Ping m) {
            return new ServerMessage.Pong(m.id());
        }

        @Override
        public ServerMessage announce(ClientMessage.Announce m) {
            return consent.announce(session, m);
        }

        @Override
        public ServerMessage getAddress(ClientMessage.GetAddress m) {
            return consent.getAddress(session, m.id(), m.user());
        }

        @Override
        public ServerMessage consent(ClientMessage.Consent m) {
            return consent.consent(session, m.id(), m.user());
        }

        @Override
        public ServerMessage deny(ClientMessage.Deny m) {
            return consent.deny(session, m.id(), m.user());
        }

        @Override
        public ServerMessage stopPrivate(ClientMessage.StopPrivate m) {
            return consent.stopPrivate(session, m.id(), m.user());
        }

        @Override
        public ServerMessage fingerprint(ClientMessage.Fingerprint m) {
            return consent.fingerprint(session, m.id(), m.user());
        }

        @Override
        public ServerMessage punch(ClientMessage.Punch m) {
            return consent.punch(session, m);
        }

        @Override
        public ServerMessage listContacts(ClientMessage.ListContacts m) {
            return consent.contactList(session, m.id());
        }

        @Override
        public ServerMessage logout(ClientMessage.Logout m) {
            logins.logout(session.key()); // ends this session too
            return null;
        }
    }
}
