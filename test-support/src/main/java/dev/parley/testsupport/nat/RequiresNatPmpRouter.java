package dev.parley.testsupport.nat;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class whose lab has a router that grants port mappings
 * ({@link PortMapping#NAT_PMP}): as {@link RequiresNatLab}, skipped with the reason where it
 * cannot be built, and failed instead under {@code CI=true}.
 */
public final class RequiresNatPmpRouter implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        RequiresNatLab.require(NatLab.natPmpAvailable(), "a NAT lab router with NAT-PMP",
                "root, iproute2, iptables (with iptables-legacy), conntrack and miniupnpd-iptables");
    }
}
