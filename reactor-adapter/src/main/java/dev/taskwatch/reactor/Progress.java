package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one task's answers so far mean, and what to do after each one: the decision half of a {@link WatchLoop},
 * without threads or timers. Not thread-safe: its loop calls it under its lock, one answer at a time.
 *
 * <p>The rules (DESIGN §4.2–4.7): a status is emitted when it is new and not backwards; a terminal one ends the loop;
 * the next poll waits {@code min(maxDelay, initialDelay × multiplier^n)} spread by jitter, where {@code n} counts
 * every poll of the loop (no reset on a transition); a server hint replaces that delay but never goes below
 * {@code initialDelay}; transient failures are retried up to the error budget, a 404 for the not-found grace.
 */
final class Progress {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);

    /**
     * What one answer decided. Either {@code terminal} (the loop emits {@code emission} and ends), or {@code fatal}
     * (the loop ends with it), or the next poll is due after {@code delayNanos}; {@code hinted} says the server asked
     * for that delay, so a subscriber whose deadline comes first ends now.
     *
     * @param emission a transition to emit, if any
     * @param terminal whether {@code emission} ends the task
     * @param fatal the error that ends the loop, if any
     * @param delayNanos the wait before the next poll, when the loop goes on
     * @param hint the server's hint that set {@code delayNanos}, if one did
     * @param retry the failed poll being retried, if this answer was one
     */
    record Step(
            @Nullable Task emission,
            boolean terminal,
            @Nullable WatchException fatal,
            long delayNanos,
            @Nullable Duration hint,
            WatchOptions.@Nullable RetrySignal retry) {

        /** The failure being retried, if this answer was one. */
        @Nullable
        Throwable cause() {
            return retry == null ? null : retry.error();
        }
    }

    private final String zoneId;
    private final String taskId;
    private final WatchOptions options;
    private final WatchMetrics metrics;

    /** The newest answer that was not stale, completed by earlier ones when it was a 303; null before the first. */
    private @Nullable Task lastSeen;
    /**
     * The task a late subscriber first receives. Usually {@link #lastSeen} itself: a later answer with the status
     * last emitted replaces it, so one Task is held, not two.
     */
    private @Nullable Task latest;
    /** The rank of the last emitted status, -1 before the first. */
    private int rank = -1;
    /** Raw values emitted at rank 1 before {@link #latest}'s, when there were several (unknown statuses). */
    private @Nullable List<String> earlierAtRankOne;

    private int polls;
    private int attempt;
    private int consecutiveErrors;
    /** Failed polls since the last answer, 404s within the grace included. */
    private int failuresInARow;

    private long firstPollNanos;

    Progress(String zoneId, String taskId, WatchOptions options, WatchMetrics metrics) {
        this.zoneId = zoneId;
        this.taskId = taskId;
        this.options = options;
        this.metrics = metrics;
    }

    /** Counts a poll about to be sent and returns its number, from 1. */
    int pollSent(long nowNanos) {
        if (polls == 0) {
            firstPollNanos = nowNanos;
        }
        return ++polls;
    }

    int polls() {
        return polls;
    }

    @Nullable
    Task lastSeen() {
        return lastSeen;
    }

    /** What a subscriber joining now receives first, or null if nothing was emitted yet. */
    @Nullable
    Task latest() {
        return latest;
    }

    /** Nanoseconds since the loop's first poll. */
    long sinceFirstPoll(long nowNanos) {
        return nowNanos - firstPollNanos;
    }

    Step onResponse(CatalogTasksClient.Response response) {
        consecutiveErrors = 0;
        failuresInARow = 0;
        Task task = response.task();
        TaskStatus status = task.status();
        if (status.rank() < rank) {
            // A replica behind the one that answered before: never move backwards.
            if (log.isDebugEnabled()) {
                log.debug(
                        "poll #{} of task {}: stale {} after {}, dropped",
                        polls,
                        taskId,
                        shown(task.statusValue()),
                        latest == null ? "nothing" : shown(latest.statusValue()));
            }
            return next(null, response.retryAfter());
        }
        Task seen = status == TaskStatus.COMPLETED && lastSeen != null ? mergedOver(task, lastSeen) : task;
        lastSeen = seen;
        if (!isNew(seen, status.rank())) {
            if (latest != null && latest.statusValue().equals(seen.statusValue())) {
                latest = seen;
            }
            if (log.isDebugEnabled()) {
                log.debug("poll #{} of task {}: still {}", polls, taskId, shown(seen.statusValue()));
            }
            return next(null, response.retryAfter());
        }
        if (status.rank() == rank && latest != null) {
            if (earlierAtRankOne == null) {
                earlierAtRankOne = new ArrayList<>(2);
            }
            earlierAtRankOne.add(latest.statusValue());
        }
        rank = status.rank();
        latest = seen;
        metrics.transition(status);
        if (log.isDebugEnabled()) {
            log.debug("poll #{} of task {}: now {}", polls, taskId, shown(seen.statusValue()));
        }
        if (status.isTerminal()) {
            return new Step(seen, true, null, 0, null, null);
        }
        return next(seen, response.retryAfter());
    }

    Step onFailure(Throwable error, long nowNanos) {
        failuresInARow++;
        if (error instanceof CatalogApiException api && api.httpStatus() == 404) {
            if (sinceFirstPoll(nowNanos) < WatchOptions.nanos(options.notFoundGrace())) {
                // Keycard caches misses for a while after creation; the grace, not the error budget, bounds this.
                metrics.retry("404");
                log.debug("poll #{} of task {}: not found yet, within the grace", polls, taskId);
                return retry(api, api.retryAfter());
            }
            return end(error);
        }
        if (error instanceof CatalogException failure && failure.isTransient()) {
            if (++consecutiveErrors > options.maxConsecutiveErrors()) {
                return end(error);
            }
            metrics.retry(reason(failure));
            if (log.isDebugEnabled()) {
                log.debug(
                        "poll #{} of task {} failed ({} of {} tolerated in a row), will retry: {}",
                        polls,
                        taskId,
                        consecutiveErrors,
                        options.maxConsecutiveErrors(),
                        SafeText.escape(String.valueOf(failure.getMessage()), 1000));
            }
            return retry(failure, failure instanceof CatalogApiException api ? api.retryAfter() : null);
        }
        return end(error);
    }

    /** Whether a status of this rank, not stale, has not been emitted yet. */
    private boolean isNew(Task seen, int statusRank) {
        if (statusRank > rank || latest == null) {
            return true;
        }
        String value = seen.statusValue();
        if (value.equals(latest.statusValue()) || statusRank != 1) {
            return false; // rank 0 holds only pending; a terminal rank ends the loop before it can repeat
        }
        return earlierAtRankOne == null || !earlierAtRankOne.contains(value);
    }

    /** The step that waits for the computed delay, or for the server's hint if it gave one. */
    private Step next(@Nullable Task emission, @Nullable Duration hint) {
        return new Step(emission, false, null, delayNanos(hint), hint, null);
    }

    /** The step that retries after a failed poll, with the signal for {@link WatchOptions#doOnRetry} listeners. */
    private Step retry(CatalogException failure, @Nullable Duration hint) {
        long delay = delayNanos(hint);
        WatchOptions.RetrySignal signal =
                new WatchOptions.RetrySignal(zoneId, taskId, failure, failuresInARow, Duration.ofNanos(delay));
        return new Step(null, false, null, delay, hint, signal);
    }

    private long delayNanos(@Nullable Duration hint) {
        long computed = backoff(attempt++);
        if (hint == null) {
            return computed;
        }
        if (log.isDebugEnabled()) {
            log.debug("task {}: server asked to wait {}", taskId, hint);
        }
        // Never below initialDelay: a zero, negative or past hint must not turn the loop into a tight one.
        return Math.max(WatchOptions.nanos(hint), WatchOptions.nanos(options.initialDelay()));
    }

    /**
     * min(maxDelay, initialDelay × multiplier^n), spread by ±jitter but kept within [initialDelay, maxDelay]: the
     * options' shortest and longest wait hold whatever the dice say.
     */
    private long backoff(int n) {
        double min = WatchOptions.nanos(options.initialDelay());
        double max = WatchOptions.nanos(options.maxDelay());
        double delay = Math.min(max, min * Math.pow(options.multiplier(), n));
        double jitter = options.jitter();
        if (jitter > 0) {
            double spread = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            delay = Math.max(Math.min(min, max), Math.min(max, delay * spread));
        }
        return (long) delay;
    }

    private Step end(Throwable cause) {
        return new Step(null, false, fatal(cause), 0, null, null);
    }

    WatchException fatal(Throwable cause) {
        String message = "watch of task " + taskId + " in zone " + zoneId + " ended after " + pollCount() + " ("
                + lastStatus() + "): " + SafeText.escape(String.valueOf(cause.getMessage()), 2000);
        return new WatchException(message, cause, lastSeen, polls);
    }

    /** The error of a watch cut short because its {@link TaskWatcher} was closed: not transient, on this watcher. */
    WatchException closed() {
        String message = "watch of task " + taskId + " in zone " + zoneId + " ended after " + pollCount() + " ("
                + lastStatus() + "): the watcher was closed";
        return new WatchException(message, null, lastSeen, polls, false);
    }

    WatchTimeoutException timedOut(
            Duration timeout,
            @Nullable Instant deadline,
            Duration elapsed,
            @Nullable Duration hint,
            @Nullable Throwable cause) {
        String message = "watch of task " + taskId + " in zone " + zoneId + " timed out after " + elapsed
                + (deadline == null ? " (timeout " + timeout : " (deadline " + deadline) + ", " + pollCount() + ", "
                + lastStatus() + ")"
                + (hint == null ? "" : ": the server asked to wait " + hint + ", past the deadline");
        return new WatchTimeoutException(message, timeout, elapsed, lastSeen, polls, cause);
    }

    private String pollCount() {
        return polls + (polls == 1 ? " poll" : " polls");
    }

    private String lastStatus() {
        return "last status " + (lastSeen == null ? "unknown" : shown(lastSeen.statusValue()));
    }

    /** The server's status text for a message or a log line: escaped, so it cannot forge or hide lines. */
    static String shown(String value) {
        return SafeText.escape(value, 64);
    }

    private static String reason(CatalogException failure) {
        if (failure instanceof CatalogApiException api) {
            return String.valueOf(api.httpStatus());
        }
        if (failure instanceof CatalogProtocolException) {
            return "protocol";
        }
        return failure instanceof CatalogTransportException ? "transport" : "other";
    }

    /**
     * {@code task}'s fields completed by {@code earlier}'s where it has none: a {@code 303} carries only the id, the
     * status and the install id, and a completed task should not read as if it had lost its package and timestamps.
     */
    static Task mergedOver(Task task, Task earlier) {
        return new Task(
                task.id(),
                task.createdAt() != null ? task.createdAt() : earlier.createdAt(),
                task.operationValue() != null ? task.operationValue() : earlier.operationValue(),
                task.statusValue(),
                task.updatedAt() != null ? task.updatedAt() : earlier.updatedAt(),
                task.errorMessage() != null ? task.errorMessage() : earlier.errorMessage(),
                task.installId() != null ? task.installId() : earlier.installId(),
                task.links().isEmpty() ? earlier.links() : task.links(),
                task.packageId() != null ? task.packageId() : earlier.packageId(),
                task.packageSlug() != null ? task.packageSlug() : earlier.packageSlug(),
                task.packageVersion() != null ? task.packageVersion() : earlier.packageVersion(),
                task.warnings().isEmpty() ? earlier.warnings() : task.warnings());
    }
}
