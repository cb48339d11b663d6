package dev.parley.rendezvous.throttle;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The key an address is limited by: an IPv4 address as it is, an IPv6 address by its /64 prefix
 * (one subscriber usually gets a whole /64, so its single addresses cost nothing to change).
 */
public final class ClientAddress {
    private ClientAddress() {
    }

    public static String key(String host) {
        if (host == null || host.isEmpty()) {
            return "unknown";
        }
        char first = host.charAt(0);
        if (host.indexOf(':') < 0 || !(first == '[' || first == ':' || Character.digit(first, 16) >= 0)) {
            return host;
        }
        try {
            // An IPv6 literal (a ':', starting as one does): parsed, never looked up as a name.
            InetAddress address = InetAddress.getByName(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
            if (address instanceof Inet6Address) {
                byte[] raw = address.getAddress();
                StringBuilder prefix = new StringBuilder();
                for (int i = 0; i < 8; i += 2) {
                    prefix.append(Integer.toHexString(((raw[i] & 0xff) << 8) | (raw[i + 1] & 0xff))).append(':');
                }
                return prefix.append(":/64").toString();
            }
            return address.getHostAddress();
        } catch (UnknownHostException e) {
            return host;
        }
    }
}
