package dev.parley.testsupport.nat;

/** Whether a lab router grants port mappings to its LAN, and how. */
public enum PortMapping {
    /** None: a LAN host can be reached from the internet only through a reply (or a hole punch). */
    NONE,
    /**
     * NAT-PMP (RFC 6886) from miniupnpd on the router's LAN address, port 5351: a LAN host may ask
     * for a TCP or UDP port of the router's WAN address to be forwarded to itself (only to itself:
     * secure mode; ports 1024-65535).
     */
    NAT_PMP
}
