package dev.parley.bench;

import dev.parley.testsupport.nat.Namespace;
import dev.parley.testsupport.nat.Nat;
import dev.parley.testsupport.nat.NatLab;
import dev.parley.testsupport.nat.Router;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Where the two nodes of a NAT trial sit: behind two routers of given kinds, or behind one. */
enum NatPairing {
    CONE_CONE("cone/cone", "cc", true, Nat.CONE, Nat.CONE),
    CONE_SYMMETRIC("cone/symmetric", "cs", false, Nat.CONE, Nat.SYMMETRIC),
    SYMMETRIC_SYMMETRIC("symmetric/symmetric", "ss", false, Nat.SYMMETRIC, Nat.SYMMETRIC),
    SAME_ROUTER("same-router", "sr", true, Nat.CONE);

    /** As options and tables name it. */
    final String label;
    /** Starts the names of its trials' users. */
    final String code;
    /** Whether the target is a direct link every time (else: every message through the relay). */
    final boolean directTarget;
    private final List<Nat> routers;

    NatPairing(String label, String code, boolean directTarget, Nat... routers) {
        this.label = label;
        this.code = code;
        this.directTarget = directTarget;
        this.routers = List.of(routers);
    }

    /** Fresh routers each time: how many one trial adds to the lab. */
    int routers() {
        return routers.size();
    }

    /** Two hosts, the asker's first, on fresh routers of this pairing. */
    List<Namespace> hosts(NatLab lab) {
        Router first = lab.router(routers.get(0));
        Router second = routers.size() > 1 ? lab.router(routers.get(1)) : first;
        return List.of(lab.host(first), lab.host(second));
    }

    static Optional<NatPairing> byLabel(String label) {
        return Arrays.stream(values()).filter(p -> p.label.equals(label)).findFirst();
    }

    static List<String> labels() {
        return Arrays.stream(values()).map(p -> p.label).toList();
    }
}
