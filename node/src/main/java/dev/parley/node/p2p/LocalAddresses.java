package dev.parley.node.p2p;

import dev.parley.common.protocol.Candidate;
import dev.parley.common.protocol.PeerAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The addresses peers might reach this node's listener at, as far as the node itself can tell. */
public final class LocalAddresses {
    private LocalAddresses() {
    }

    /**
     * A specific listening host is the only candidate; a wildcard one stands for every address
     * of every interface that is up, except loopback and link-local IPv6, which mean nothing to a
     * peer on another machine. (The server adds the address it sees the node at.)
     */
    /** Every address of every interface that is up, loopback included: what {@link NetworkWatch} compares. */
    public static Set<String> current() {
        Set<String> out = new TreeSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (nic.isUp()) {
                    Collections.list(nic.getInetAddresses()).forEach(a -> out.add(a.getHostAddress()));
                }
            }
        } catch (SocketException e) {
            // No interface list now: an empty set, which the next good list differs from.
        }
        return out;
    }

    public static List<Candidate> candidates(String listenHost, int port) {
        List<Candidate> out = new ArrayList<>();
        if (!listenHost.equals("0.0.0.0") && !listenHost.equals("::")) {
            out.add(Candidate.local(PeerAddresses.of(listenHost, port)));
            return out;
        }
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nic.isUp()) {
                    continue;
                }
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address.isLoopbackAddress()
                            || address instanceof Inet6Address v6 && (v6.isLinkLocalAddress() || v6.getScopeId() != 0)) {
                        continue; // a peer dialing these would reach itself, or nothing
                    }
                    out.add(Candidate.local(PeerAddresses.of(address.getHostAddress(), port)));
                    if (out.size() >= 8) {
                        return out;
                    }
                }
            }
        } catch (SocketException e) {
            // No interface list: the server adds the address it sees us at.
        }
        return out;
    }
}
