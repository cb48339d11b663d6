package dev.parley.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * After a test class ({@code @ExtendWith(LeftoverProcesses.class)}): stops every server and kills
 * every node its tests left running, as a failure midway does, so the next class starts clean.
 */
public final class LeftoverProcesses implements AfterAllCallback {
    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        ServerProcess.stopAll();
        NodeProcess.killAll();
    }
}
