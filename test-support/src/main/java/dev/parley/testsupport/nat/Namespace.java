package dev.parley.testsupport.nat;

import java.util.List;

/**
 * One network namespace of a {@link NatLab}: its name, and its address on its own network (the
 * internet's 203.0.113.1, a router's WAN address, a host's LAN address).
 */
public record Namespace(String name, String address) {
    /** The command that runs a program inside it: {@code ip netns exec NAME} (which execs in place). */
    public List<String> prefix() {
        return List.of(SystemCommand.tool("ip"), "netns", "exec", name);
    }
}
