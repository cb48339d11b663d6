package dev.parley.testsupport.nat;

/**
 * A home router of a {@link NatLab}: its namespace (whose address is its WAN address on the
 * internet), how it NATs, its LAN, {@code 10.0.<index>.0/24} with the router at {@code .1}, and
 * whether it grants port mappings (on its LAN address).
 */
public record Router(Namespace namespace, Nat nat, int index, PortMapping portMapping) {
    /** The address the internet sees the router's hosts at. */
    public String wanAddress() {
        return namespace.address();
    }

    /** The router's own address on its LAN, its hosts' default gateway. */
    public String lanAddress() {
        return lanSubnet() + ".1";
    }

    /** The first three octets of the LAN's /24. */
    String lanSubnet() {
        return "10.0." + index;
    }
}
