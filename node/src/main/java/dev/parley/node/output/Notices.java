package dev.parley.node.output;

import dev.parley.common.protocol.ServerMessage;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Locale;

/**
 * What the node tells its user about each thing that happens, in one place: every event's name,
 * its fields (for {@code --json}) and its human text. The node's logic decides what happened; the
 * words are chosen here, so they stay consistent and can be read (and reviewed) together.
 */
public final class Notices {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private Notices() {
    }

    // ---- general ----

    public static Event error(String message) {
        return Event.of("error").with("message", message).says("error: " + message);
    }

    /** An error the server answered, or one about a message, with its code (and the message's id and recipient). */
    public static Event error(String code, String id, String to, String message) {
        return Event.of("error").with("code", code).with("id", id).with("to", to).with("message", message)
                .says("error: " + message);
    }

    public static Event serverError(ServerMessage.Error e) {
        return error(e.code() == null ? null : e.code().wire(), null, null, e.message());
    }

    public static Event warning(String message) {
        return Event.of("warning").with("message", message).says("warning: " + message);
    }

    // ---- the session ----

    public static Event loggedIn(String user, String server) {
        return Event.of("logged-in").with("user", user).with("server", server)
                .says("logged in to " + server + " as " + user + " (type help for commands)");
    }

    public static Event reconnected(String user, String server) {
        return Event.of("reconnected").with("user", user).says("reconnected to " + server);
    }

    public static Event disconnected(String why, long retryInSeconds) {
        return Event.of("disconnected").with("reason", why).with("retryInSeconds", retryInSeconds)
                .says("! lost the server (" + why + "); reconnecting in " + retryInSeconds + " s");
    }

    public static Event resent(int messages) {
        return Event.of("resent").with("count", messages)
                .says(messages + " message(s) the server had not confirmed sent again, with the same ids");
    }

    /** {@code reason} is the session's end in lower case (takeover, idle, logout, unauthenticated, untrusted, closed). */
    public static Event loggedOut(String reason, String message) {
        String text = switch (reason) {
            case "takeover" -> "logged out: logged in elsewhere";
            case "idle" -> "logged out by the server: " + message;
            case "logout" -> "logged out";
            case "unauthenticated" -> "logged out: " + message;
            case "untrusted" -> message;
            default -> "closed";
        };
        return Event.of("logged-out").with("reason", reason).with("message", message).says(text);
    }

    // ---- answers to commands ----

    public static Event sent(String to, String via, String id, String text) {
        return Event.of("sent").with("to", to).with("via", via).with("id", id).says("[" + via + "] to " + to + ": " + text);
    }

    /** The server's own words say how many it reached ("broadcast to 2 users"). */
    public static Event broadcastSent(String text, String serverSays) {
        return Event.of("broadcast-sent").with("text", text).says(serverSays);
    }

    public static Event online(List<String> users) {
        return Event.of("online").with("users", users)
                .says(users.isEmpty() ? "nobody else is online" : "online: " + String.join(", ", users));
    }

    public static Event onlineSince(long seconds, List<String> users) {
        return Event.of("online-since").with("seconds", seconds).with("users", users)
                .says(users.isEmpty() ? "nobody else in the last " + seconds + " s"
                        : "online in the last " + seconds + " s: " + String.join(", ", users));
    }

    /** One contact as {@code contacts} lists it: {@code how} when a direct link is up, else the relay and {@code lastFailure}. */
    public record ContactLine(String user, boolean online, String fingerprint, String how, String lastFailure) {
        Map<String, Object> fields() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("user", user);
            out.put("online", online);
            out.put("link", how != null ? "direct" : "relay");
            if (how != null) {
                out.put("how", how);
            } else if (lastFailure != null) {
                out.put("reason", lastFailure);
            }
            if (fingerprint != null) {
                out.put("fingerprint", fingerprint);
            }
            return out;
        }

        String says() {
            String link = how != null ? "direct (" + how + ")"
                    : !online ? "offline" : "relay" + (lastFailure != null ? " (last attempt: " + lastFailure + ")" : "");
            return "  " + user + ": " + link;
        }
    }

    public static Event contacts(List<ContactLine> contacts) {
        List<String> lines = new ArrayList<>();
        lines.add(contacts.isEmpty() ? "no contacts yet: getaddress <user> asks one for a direct link"
                : "contacts (" + contacts.size() + "):");
        contacts.forEach(c -> lines.add(c.says()));
        return Event.of("contacts").with("contacts", contacts.stream().map(ContactLine::fields).toList()).saysLines(lines);
    }

    public static Event blockList(List<String> users) {
        return Event.of("block-list").with("users", users)
                .says(users.isEmpty() ? "you block nobody" : "blocked: " + String.join(", ", users));
    }

    public static Event whoami(String user, String server, String fingerprint) {
        return Event.of("whoami").with("user", user).with("server", server).with("fingerprint", fingerprint)
                .says("you are " + user + " on " + server + (fingerprint == null ? "" : "; your key: " + fingerprint));
    }

    /** A single-user command the server confirmed; its own words say what was done. */
    public static Event done(String event, String user, String serverSays) {
        return Event.of(event).with("user", user).says(serverSays);
    }

    /**
     * Consent given: the introduction that comes with it already told the user who may now
     * connect (and with which key), so for people this adds nothing; scripts still get the event.
     */
    public static Event consented(String user) {
        return Event.of("consented").with("user", user).saysLines(List.of());
    }

    public static Event fingerprint(String user, String fingerprint) {
        return Event.of("fingerprint").with("user", user).with("fingerprint", fingerprint)
                .says(user + "'s key, as the server vouches for it: " + fingerprint);
    }

    /** A command typed while the server is away: it waits in the session's queue. */
    public static Event queued(String what) {
        return Event.of("queued").with("command", what).says("queued: " + what + " is sent when the server is back");
    }

    // ---- what the server pushes ----

    public static Event message(ServerMessage.Deliver d) {
        String when = d.via() == ServerMessage.Via.offline ? " (" + WHEN.format(Instant.ofEpochMilli(d.sentAt())) + ")" : "";
        return Event.of("message").with("id", d.messageId()).with("from", d.from()).with("to", d.to())
                .with("text", d.text()).with("via", d.via().name())
                .with("sentAt", Instant.ofEpochMilli(d.sentAt()).toString())
                .says("[" + d.via() + "] " + d.from() + when + ": " + d.text());
    }

    public static Event directMessage(String id, String from, String to, String text, long sentAt) {
        return Event.of("message").with("id", id).with("from", from).with("to", to).with("text", text).with("via", "direct")
                .with("sentAt", Instant.ofEpochMilli(sentAt).toString())
                .says("[direct] " + from + ": " + text);
    }

    public static Event delivered(ServerMessage.Delivered d) {
        return Event.of("delivered").with("id", d.messageId()).with("to", d.to())
                .says("(" + d.to() + " has your message " + shortId(d.messageId()) + ")");
    }

    public static Event broadcast(ServerMessage.BroadcastMessage b) {
        return Event.of("broadcast").with("from", b.from()).with("text", b.text())
                .with("sentAt", Instant.ofEpochMilli(b.sentAt()).toString())
                .says("[broadcast] " + b.from() + ": " + b.text());
    }

    public static Event presence(String user, boolean in) {
        return Event.of(in ? "user-online" : "user-offline").with("user", user)
                .says("* " + user + (in ? " logged in" : " logged out"));
    }

    public static Event consentRequest(ServerMessage.ConsentRequest r) {
        return Event.of("consent-request").with("from", r.from()).with("fingerprint", r.fingerprint())
                .says(r.from() + " asks for a direct link (key " + r.fingerprint() + "); answer: consent "
                        + r.from() + " or deny " + r.from());
    }

    public static Event consentRefused(ServerMessage.ConsentRefused r) {
        return Event.of("consent-refused").with("user", r.user()).with("reason", r.reason().name())
                .with("message", r.message()).says(r.message());
    }

    public static Event privateStopped(String user, String message) {
        return Event.of("private-stopped").with("user", user).with("message", message).says(message);
    }

    public static Event keyChanged(String user, String fingerprint) {
        return Event.of("key-changed").with("user", user).with("fingerprint", fingerprint)
                .says("WARNING: " + user + "'s identity key has CHANGED since you last connected; it is now "
                        + fingerprint + ". Compare it with " + user + " another way before trusting it.");
    }

    public static Event introduced(ServerMessage.Introduction i) {
        return Event.of("introduced").with("user", i.user()).with("fingerprint", i.fingerprint())
                .with("dial", i.dial()).says(i.dial()
                        ? i.user() + " consented; connecting directly (their key " + i.fingerprint() + ")"
                        : i.user() + " may now connect to you directly (their key " + i.fingerprint() + ")");
    }

    // ---- direct links ----

    /** @param how how the link came up: lan, advertised, mapped, observed, punched or incoming */
    public static Event linkUp(String user, String address, String how) {
        return Event.of("link-up").with("user", user).with("address", address).with("how", how)
                .says("[direct] link with " + user + " is up (" + how + ", " + address + ")");
    }

    /** The router maps {@code address} to this node's P2P port: announced as its {@code mapped} candidate. */
    public static Event portMapped(String address) {
        return Event.of("port-mapped").with("address", address)
                .says("[direct] the router forwards " + address + " to this node for direct links");
    }

    public static Event linkDown(String user, String why) {
        return Event.of("link-down").with("user", user).with("reason", why)
                .says("[direct] link with " + user + " is down: " + why);
    }

    public static Event rerouted(String user, int count) {
        return Event.of("rerouted").with("user", user).with("count", count)
                .says(count + " unconfirmed message(s) to " + user + " sent again through the server");
    }

    public static Event linkFailed(String user, String why) {
        return Event.of("link-failed").with("user", user).with("reason", why)
                .says("[direct] could not reach " + user + ": " + why);
    }

    public static Event networkChanged() {
        return Event.of("network-changed").says("[direct] this machine's network changed; looking for direct links again");
    }

    public static Event peerRefused(String why) {
        return Event.of("peer-refused").with("reason", why).says("[direct] " + why);
    }

    private static String shortId(String id) {
        return id.length() > 8 ? id.substring(0, 8) : id;
    }

    /** The lower-case name of an enum constant, as events carry it. */
    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
