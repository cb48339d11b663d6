package dev.parley.testsupport.nat;

import java.util.List;

/** What a command run for a lab printed (stdout and stderr merged), and its exit status (-1: it never ran or timed out). */
public record CommandResult(List<String> command, int code, String output) {
    public boolean succeeded() {
        return code == 0;
    }

    /** This result, or an error that says what ran and what it printed. */
    public CommandResult requireSuccess() {
        if (!succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + code + ": " + output.strip());
        }
        return this;
    }
}
