package dev.parley.node.p2p;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway, the router a NAT-PMP request goes to, from Linux's
 * {@code /proc/net/route} (of the caller's network namespace). Read again at each use, since the
 * network may have changed; elsewhere (no such file) there is none, and no port is mapped.
 */
final class DefaultGateway {
    private static final Path ROUTES = Path.of("/proc/net/route");
    /** The route's flags: up (RTF_UP) and through a gateway (RTF_GATEWAY). */
    private static final int UP_VIA_GATEWAY = 0x1 | 0x2;

    private DefaultGateway() {
    }

    static Optional<Inet4Address> find() {
        try {
            return parse(Files.readString(ROUTES, StandardCharsets.US_ASCII), ByteOrder.nativeOrder());
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The gateway of the default route with the lowest metric in a routing table laid out as
     * {@code /proc/net/route} (addresses in hexadecimal, in the kernel's byte order {@code order}).
     * Lines that do not fit are skipped.
     */
    static Optional<Inet4Address> parse(String table, ByteOrder order) {
        Optional<Inet4Address> best = Optional.empty();
        long bestMetric = Long.MAX_VALUE;
        for (String line : table.lines().skip(1).toList()) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 8) {
                continue;
            }
            try {
                int flags = Integer.parseInt(f[3], 16);
                long metric = Long.parseLong(f[6]);
                if (!f[1].equals("00000000") || !f[7].equals("00000000") || (flags & UP_VIA_GATEWAY) != UP_VIA_GATEWAY
                        || metric >= bestMetric) {
                    continue;
                }
                Optional<Inet4Address> gateway = address(f[2], order);
                if (gateway.isPresent()) {
                    best = gateway;
                    bestMetric = metric;
                }
            } catch (NumberFormatException e) {
                // not a route line
            }
        }
        return best;
    }

    private static Optional<Inet4Address> address(String hex, ByteOrder order) {
        if (hex.length() != 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        int value = (int) Long.parseLong(hex, 16);
        if (order == ByteOrder.LITTLE_ENDIAN) {
            value = Integer.reverseBytes(value);
        }
        byte[] raw = {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
        try {
            InetAddress address = InetAddress.getByAddress(raw);
            return address.isAnyLocalAddress() ? Optional.empty() : Optional.of((Inet4Address) address);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }
}
