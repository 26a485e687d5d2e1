package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.Task;
import org.jspecify.annotations.Nullable;

/**
 * A watch ended with an error. Every error a {@link TaskWatcher} watch ends with is one of these: it carries the last
 * {@link Task} seen (if any), how many polls were made, and the underlying failure as its cause (a
 * {@link dev.taskwatch.core.CatalogApiException}, a {@link dev.taskwatch.core.CatalogTransportException}, …).
 *
 * <p>{@link #isTransient()} is the cause's: a watch that ended on a run of {@code 503}s may succeed if started again,
 * one that ended on a {@code 401} will not.
 *
 * <pre>{@code
 * watcher.awaitTerminal(zone, task).onErrorResume(WatchException.class, e -> {
 *     log.warn("watch of {} ended after {} polls: {}", task, e.polls(), e.getMessage());
 *     return e.isTransient() ? retryLater(zone, task) : Mono.error(e);
 * });
 * }</pre>
 */
public sealed class WatchException extends CatalogException permits TaskFailedException, WatchTimeoutException {

    private static final long serialVersionUID = 1L;

    private final transient @Nullable Task lastTask;
    /** How many requests the watch made. */
    private final int polls;

    /**
     * @param message what went wrong, without secrets
     * @param cause the underlying failure, if any
     * @param lastTask the last task seen, or {@code null} if no poll succeeded
     * @param polls how many requests the watch made
     */
    WatchException(String message, @Nullable Throwable cause, @Nullable Task lastTask, int polls) {
        this(message, cause, lastTask, polls, cause instanceof CatalogException t && t.isTransient());
    }

    WatchException(
            String message, @Nullable Throwable cause, @Nullable Task lastTask, int polls, boolean transientFailure) {
        super(message, cause, transientFailure);
        this.lastTask = lastTask;
        this.polls = polls;
    }

    /**
     * The last task the server reported before the watch ended, or {@code null} if no poll succeeded.
     *
     * @return the last task seen, or {@code null}; always {@code null} after the exception was deserialised, as
     *     the task is not serialised
     */
    public @Nullable Task lastTask() {
        return lastTask;
    }

    /**
     * How many requests the watch made.
     *
     * @return the number of status requests sent, successful or not; {@code 0} if the watch ended before the first
     */
    public int polls() {
        return polls;
    }
}
