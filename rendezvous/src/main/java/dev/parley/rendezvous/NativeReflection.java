package dev.parley.rendezvous;

import dev.parley.common.protocol.Api;
import dev.parley.common.protocol.ClientMessage;
import dev.parley.common.protocol.ErrorCode;
import dev.parley.common.protocol.ServerMessage;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The protocol records live in {@code common}, outside Quarkus's view, and Jackson reaches them by
 * reflection: a native image needs them named here.
 */
@RegisterForReflection(targets = {
        ClientMessage.class, ClientMessage.Send.class, ClientMessage.Broadcast.class, ClientMessage.WhoElse.class,
        ClientMessage.WhoElseSince.class, ClientMessage.Block.class, ClientMessage.Unblock.class,
        ClientMessage.ListBlocked.class, ClientMessage.Ack.class, ClientMessage.Ping.class, ClientMessage.Logout.class,
        ClientMessage.Announce.class, ClientMessage.GetAddress.class, ClientMessage.Consent.class,
        ClientMessage.Deny.class, ClientMessage.StopPrivate.class, ClientMessage.Fingerprint.class,
        ServerMessage.class, ServerMessage.Welcome.class, ServerMessage.Deliver.class,
        ServerMessage.BroadcastMessage.class, ServerMessage.Presence.class, ServerMessage.Sent.class,
        ServerMessage.Users.class, ServerMessage.BlockList.class, ServerMessage.Ok.class, ServerMessage.Error.class,
        ServerMessage.Closing.class, ServerMessage.Pong.class, ServerMessage.Via.class,
        ServerMessage.PresenceEvent.class, ServerMessage.CloseReason.class, ServerMessage.Reply.class,
        ServerMessage.ConsentRequest.class, ServerMessage.Introduction.class, ServerMessage.ConsentRefused.class,
        ServerMessage.PrivateStopped.class, ServerMessage.FingerprintInfo.class, ServerMessage.RefusalReason.class,
        ServerMessage.Delivered.class,
        Api.Credentials.class, Api.LoginResult.class, Api.Registered.class, Api.ApiError.class, ErrorCode.class,
})
final class NativeReflection {
    private NativeReflection() {
    }
}
