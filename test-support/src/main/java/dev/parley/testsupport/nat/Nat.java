package dev.parley.testsupport.nat;

import java.util.List;

/** How a lab router maps its LAN's connections to its WAN address. */
public enum Nat {
    /**
     * Plain MASQUERADE: a LAN socket keeps its port on the WAN side when it is free, and keeps the
     * same mapping whoever it talks to (endpoint-independent mapping), so hole punching can work.
     */
    CONE(List.of()),
    /** MASQUERADE --random-fully: a new random WAN port for every destination, so punching fails. */
    SYMMETRIC(List.of("--random-fully"));

    private final List<String> masqueradeOptions;

    Nat(List<String> masqueradeOptions) {
        this.masqueradeOptions = masqueradeOptions;
    }

    /** The iptables rule (for iptables-restore) that makes the router NAT out of {@code wan}. */
    String masqueradeRule(String wan) {
        return String.join(" ", "-A POSTROUTING -o", wan, "-j MASQUERADE", String.join(" ", masqueradeOptions)).strip();
    }
}
