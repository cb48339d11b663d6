package dev.parley.bench;

import com.sun.management.UnixOperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the operating system must allow before one machine can hold many loopback sessions: the
 * harness and the server (its child, with the same limits) each need a file descriptor per
 * session, and every session needs its own ephemeral port towards the server's one address.
 * Checked before starting, so a run that cannot succeed says how to fix it instead of failing
 * half-way with "too many open files" or "cannot assign requested address".
 */
final class SystemLimits {
    private static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    private SystemLimits() {
    }

    static void requireFor(int sessions, int spare) throws IOException {
        long needed = (long) sessions + spare;
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os
                && os.getMaxFileDescriptorCount() < needed) {
            throw new IllegalStateException(sessions + " sessions need at least " + needed + " open files per process, the"
                    + " limit is " + os.getMaxFileDescriptorCount() + ": run the bench from a shell with `ulimit -n "
                    + roundUp(needed) + "` (as root, or after raising the hard limit)");
        }
        if (Files.isReadable(PORT_RANGE)) {
            // Read line by line: a /proc file reports a size of 0, which readString takes at its word.
            String[] range = Files.readAllLines(PORT_RANGE).get(0).strip().split("\\s+");
            long ports = Long.parseLong(range[1]) - Long.parseLong(range[0]) + 1;
            if (ports < needed) {
                throw new IllegalStateException(sessions + " sessions need at least " + needed + " ephemeral ports towards"
                        + " the server, the range has " + ports + " (" + range[0] + "-" + range[1] + "): widen it with"
                        + " `sysctl -w net.ipv4.ip_local_port_range=\"1024 65535\"` (as root)");
            }
        }
    }

    private static long roundUp(long n) {
        return (n + 9_999) / 10_000 * 10_000;
    }
}
