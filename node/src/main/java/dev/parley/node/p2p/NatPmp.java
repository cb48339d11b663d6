package dev.parley.node.p2p;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The little of NAT-PMP (RFC 6886) a node needs: the two requests it sends (the router's public
 * address, opcode 0; a TCP port mapping, opcode 2) and a strict reader of the router's answers.
 * Pure: bytes out, bytes in. An answer that is not exactly a reply to the request it is read
 * against (size, version, opcode, internal port) is refused with an {@link IllegalArgumentException},
 * never another exception; a well-formed reply whose result code is not 0 is a {@link Refused}.
 */
final class NatPmp {
    /** Where a NAT-PMP router listens, on its LAN address. */
    static final int SERVER_PORT = 5351;
    static final int OP_PUBLIC_ADDRESS = 0;
    static final int OP_MAP_TCP = 2;
    /** The largest reply there is (a mapping's); anything longer is not a NAT-PMP reply. */
    static final int MAX_REPLY = 16;
    private static final int VERSION = 0;
    private static final int REPLY_BIT = 128;
    /** The RFC's longest lifetime worth asking for or believing; an unsigned 32-bit field allows more. */
    static final long MAX_LIFETIME_SECONDS = 0xFFFF_FFFFL;

    private NatPmp() {
    }

    /** What a router answered. */
    sealed interface Reply permits PublicAddress, Mapping, Refused {
    }

    /** Opcode 0's answer: the router's address on the internet. */
    record PublicAddress(long epochSeconds, Inet4Address address) implements Reply {
    }

    /** Opcode 2's answer: {@code internalPort} is reachable at the router's {@code externalPort} for {@code lifetimeSeconds}. */
    record Mapping(long epochSeconds, int internalPort, int externalPort, long lifetimeSeconds) implements Reply {
    }

    /** The router understood and said no: a result code other than 0 (1 unsupported version … 5 unsupported opcode). */
    record Refused(int resultCode) implements Reply {
        String meaning() {
            return switch (resultCode) {
                case 1 -> "unsupported version";
                case 2 -> "not authorized or refused";
                case 3 -> "network failure (the router has no public address)";
                case 4 -> "out of resources";
                case 5 -> "unsupported opcode";
                default -> "result code " + resultCode;
            };
        }
    }

    static byte[] publicAddressRequest() {
        return new byte[] {VERSION, OP_PUBLIC_ADDRESS};
    }

    /** Map TCP {@code internalPort}, suggesting the same port outside; a lifetime of 0 deletes the mapping. */
    static byte[] mapTcpRequest(int internalPort, long lifetimeSeconds) {
        if (internalPort < 1 || internalPort > 0xFFFF) {
            throw new IllegalArgumentException("not a port: " + internalPort);
        }
        if (lifetimeSeconds < 0 || lifetimeSeconds > MAX_LIFETIME_SECONDS) {
            throw new IllegalArgumentException("not a lifetime: " + lifetimeSeconds);
        }
        int suggested = lifetimeSeconds == 0 ? 0 : internalPort; // a deletion names no external port
        return ByteBuffer.allocate(12).put((byte) VERSION).put((byte) OP_MAP_TCP).putShort((short) 0)
                .putShort((short) internalPort).putShort((short) suggested).putInt((int) lifetimeSeconds).array();
    }

    /**
     * Reads {@code datagram} as the reply to a request with {@code opcode} (and, for a mapping, for
     * {@code internalPort}).
     */
    static Reply parse(byte[] datagram, int opcode, int internalPort) {
        if (datagram.length < 8) {
            throw new IllegalArgumentException(datagram.length + " bytes, shorter than a NAT-PMP header");
        }
        if (datagram.length > MAX_REPLY) {
            throw new IllegalArgumentException(datagram.length + " bytes, longer than any NAT-PMP reply");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram);
        int version = in.get() & 0xFF;
        if (version != VERSION) {
            throw new IllegalArgumentException("version " + version + ", not NAT-PMP's 0");
        }
        int op = in.get() & 0xFF;
        if (op != REPLY_BIT + opcode) {
            throw new IllegalArgumentException("opcode " + op + ", not the reply to opcode " + opcode);
        }
        int result = in.getShort() & 0xFFFF;
        long epoch = in.getInt() & 0xFFFF_FFFFL;
        if (result != 0) {
            // The rest of a refusal is undefined (an unsupported opcode echoes the request): only the header counts.
            return new Refused(result);
        }
        return switch (opcode) {
            case OP_PUBLIC_ADDRESS -> publicAddress(datagram, in, epoch);
            case OP_MAP_TCP -> mapping(datagram, in, epoch, internalPort);
            default -> throw new IllegalArgumentException("no reply is read for opcode " + opcode);
        };
    }

    private static PublicAddress publicAddress(byte[] datagram, ByteBuffer in, long epoch) {
        requireLength(datagram, 12);
        byte[] raw = new byte[4];
        in.get(raw);
        Inet4Address address;
        try {
            address = (Inet4Address) InetAddress.getByAddress(raw);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IPv4 address: " + Arrays.toString(raw));
        }
        if (DialCandidates.refusal(address, false).isPresent()) {
            throw new IllegalArgumentException("a public address no peer can dial: " + address.getHostAddress());
        }
        return new PublicAddress(epoch, address);
    }

    private static Mapping mapping(byte[] datagram, ByteBuffer in, long epoch, int internalPort) {
        requireLength(datagram, 16);
        int internal = in.getShort() & 0xFFFF;
        int external = in.getShort() & 0xFFFF;
        long lifetime = in.getInt() & 0xFFFF_FFFFL;
        if (internal != internalPort) {
            throw new IllegalArgumentException("a mapping of port " + internal + ", not of " + internalPort);
        }
        if (lifetime > 0 && external == 0) {
            throw new IllegalArgumentException("a mapping to external port 0");
        }
        return new Mapping(epoch, internal, external, lifetime);
    }

    private static void requireLength(byte[] datagram, int length) {
        if (datagram.length != length) {
            throw new IllegalArgumentException(datagram.length + " bytes, not the " + length + " of this reply");
        }
    }
}
