package dev.parley.node.route;

/**
 * A chat message on its way to a peer: the same id and sequence number on every path it takes.
 *
 * @param to the recipient's name key
 * @param seq its place in the conversation with {@code to}, whatever the path
 * @param privateOnly sent over a direct link or not at all: never relayed
 */
public record Outgoing(String to, String id, long seq, String text, boolean privateOnly) {
}
