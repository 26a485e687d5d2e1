package dev.taskwatch.reactor;

/**
 * Reads a {@link TaskWatcher}'s registry of polling loops from testkit's tests, which live in another module:
 * {@code loopCount()} is package-private, and this class shares its package on the class path.
 */
public final class WatcherProbe {

    private WatcherProbe() {}

    /** How many polling loops the watcher has in its registry now. */
    public static int activeWatches(TaskWatcher watcher) {
        return watcher.loopCount();
    }
}
