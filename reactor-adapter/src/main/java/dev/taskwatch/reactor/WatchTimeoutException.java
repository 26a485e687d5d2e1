package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A watch reached its {@link WatchOptions#timeout(Duration) timeout} before the task ended, or the server asked to be
 * polled again only after it. Transient: the task may still end later.
 */
public final class WatchTimeoutException extends WatchException {

    private static final long serialVersionUID = 1L;

    /** The configured timeout. */
    private final Duration timeout;
    /** How long the watch ran before it ended. */
    private final Duration elapsed;

    /**
     * @param message what happened, without secrets
     * @param timeout the configured timeout
     * @param elapsed how long the watch ran
     * @param lastTask the last task seen, or {@code null} if no poll succeeded
     * @param polls how many requests the watch made
     * @param cause the failure whose retry hint reached past the deadline, if any
     */
    WatchTimeoutException(
            String message,
            Duration timeout,
            Duration elapsed,
            @Nullable Task lastTask,
            int polls,
            @Nullable Throwable cause) {
        super(message, cause, lastTask, polls, true);
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
    }

    /**
     * The configured timeout.
     *
     * @return the watch's {@link WatchOptions#timeout(Duration) timeout}, or for a watch resumed with a deadline the
     *     time from its subscription to that deadline
     */
    public Duration timeout() {
        return timeout;
    }

    /**
     * How long the watch ran before it ended.
     *
     * @return the time from subscription to the end, on the watch's scheduler's clock (virtual time in tests)
     */
    public Duration elapsed() {
        return elapsed;
    }
}
