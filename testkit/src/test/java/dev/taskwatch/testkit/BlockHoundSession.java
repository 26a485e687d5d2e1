package dev.taskwatch.testkit;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;
import reactor.blockhound.BlockHound;

/**
 * Installs BlockHound when the test run starts, before any scheduler or event loop thread exists (installing it later
 * retransforms classes under threads already parked in them, which breaks those threads), so a blocking call on the
 * simulator's event loops fails every test that makes it. Registered through {@code META-INF/services}.
 */
public final class BlockHoundSession implements LauncherSessionListener {

    /** Instantiated by the JUnit Platform through the service loader. */
    public BlockHoundSession() {}

    @Override
    public void launcherSessionOpened(LauncherSession session) {
        BlockHound.install();
    }
}
