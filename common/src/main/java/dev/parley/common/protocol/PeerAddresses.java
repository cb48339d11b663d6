package dev.parley.common.protocol;

/** Checks the {@code host:port} candidates nodes advertise for direct links. */
public final class PeerAddresses {
    private static final int MAX_CHARS = 100;

    private PeerAddresses() {
    }

    /** Returns the address if it is {@code host:port} (IPv6 hosts in brackets); throws otherwise. */
    public static String require(String address) {
        if (address == null || address.isEmpty() || address.length() > MAX_CHARS) {
            throw new IllegalArgumentException("invalid address");
        }
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw new IllegalArgumentException("address '" + address + "' is not host:port");
        }
        String host = address.substring(0, colon);
        if (host.contains(":") && !(host.startsWith("[") && host.endsWith("]"))) {
            throw new IllegalArgumentException("IPv6 address '" + address + "' needs brackets: [host]:port");
        }
        for (char c : host.toCharArray()) {
            if (!(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '%')) {
                throw new IllegalArgumentException("address '" + address + "' has a bad host");
            }
        }
        int port;
        try {
            port = Integer.parseInt(address.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address '" + address + "' has a bad port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("address '" + address + "' has a bad port");
        }
        return address;
    }

    /** {@code host:port}, bracketing IPv6 hosts. */
    public static String of(String host, int port) {
        return (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }
}
