package dev.parley.testsupport.nat;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * For a test class that builds {@link NatLab}s ({@code @ExtendWith(RequiresNatLab.class)}): where
 * no lab can be built (not root, tools missing) its tests are skipped with the reason, except
 * under {@code CI=true}, where they fail: CI installs what they need, so they must run there.
 */
public final class RequiresNatLab implements BeforeAllCallback {
    @Override
    public void beforeAll(ExtensionContext context) {
        require(NatLab.available(), "the NAT lab", "root and iproute2, iptables, conntrack");
    }

    /** Returns if {@code here} is available; otherwise skips, or fails with {@code CI=true}. */
    static void require(NatLab.Availability here, String what, String needs) {
        if (here.available()) {
            return;
        }
        String why = what + " cannot be built here: " + here.reason() + " (it needs " + needs + "; .ci/run installs them)";
        if ("true".equals(System.getenv("CI"))) {
            Assertions.fail(why + "; with CI=true it must run, not skip");
        }
        Assumptions.assumeTrue(false, why);
    }
}
