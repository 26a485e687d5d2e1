package dev.taskwatch.temporal;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchException;
import dev.taskwatch.reactor.WatchTimeoutException;
import io.temporal.activity.ManualActivityCompletionClient;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityNotExistsException;
import io.temporal.client.ActivityWorkerShutdownException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.scheduler.Scheduler;

/**
 * One activity execution waiting for its task: the watch, the heartbeat timer, and the one way it ends (completed,
 * failed, cancelled, left to Temporal's timeout, or abandoned), decided once by {@link #ending}.
 *
 * <p>Every call into Temporal's completion client (which blocks on gRPC) runs on one worker of the blocking scheduler,
 * so calls are serialised in the order the watch produced them: a heartbeat of a transition never overtakes the
 * completion that follows it.
 */
final class ActivityWait {

    private static final Logger log = LoggerFactory.getLogger(CatalogTaskActivitiesImpl.class);

    private final CatalogTaskActivitiesImpl owner;
    private final ManualActivityCompletionClient completion;
    private final Duration heartbeatPeriod;
    private final String activityId;
    private final int attempt;
    /** Whether the deadline is the watcher's own timeout: then its end is reported, as Temporal has no timer for it. */
    private final boolean ownTimeout;

    private final AtomicBoolean ending = new AtomicBoolean();
    private final Disposable.Composite resources = Disposables.composite();

    private volatile ResumePoint point;
    private volatile @Nullable Task last;
    private Scheduler.@Nullable Worker calls;

    ActivityWait(
            CatalogTaskActivitiesImpl owner,
            ManualActivityCompletionClient completion,
            ResumePoint from,
            Duration heartbeatPeriod,
            String activityId,
            int attempt,
            boolean ownTimeout) {
        this.owner = owner;
        this.completion = completion;
        this.point = from;
        this.heartbeatPeriod = heartbeatPeriod;
        this.activityId = activityId;
        this.attempt = attempt;
        this.ownTimeout = ownTimeout;
    }

    String activityId() {
        return activityId;
    }

    int attempt() {
        return attempt;
    }

    void start(TaskWatcher watcher, Scheduler blocking) {
        Scheduler.Worker worker = blocking.createWorker();
        calls = worker;
        resources.add(worker);
        ResumePoint from = point;
        heartbeat(); // the deadline is in the details before anything else happens
        owner.transition(this, null);
        long period = Math.max(1, heartbeatPeriod.toMillis());
        resources.add(worker.schedulePeriodically(this::heartbeatNow, period, period, TimeUnit.MILLISECONDS));
        resources.add(watcher.watch(from).subscribe(this::onTransition, this::onError, this::onComplete));
    }

    /** Stops watching and reports nothing: Temporal retries after the heartbeat timeout. */
    void abandon() {
        if (ending.compareAndSet(false, true)) {
            log.debug("activity {} attempt {}: wait abandoned at {}", activityId, attempt, point);
            stop();
        }
    }

    private void onTransition(Task task) {
        last = task;
        point = point.after(task);
        owner.transition(this, task);
        if (log.isDebugEnabled()) {
            log.debug(
                    "activity {} attempt {}: task {} is now {}",
                    activityId,
                    attempt,
                    task.id(),
                    SafeText.escape(task.statusValue(), 64));
        }
        heartbeat();
    }

    private void onComplete() {
        Task terminal = last;
        if (terminal == null) {
            // Only a resume point at a terminal status ends without a transition, and the activity never starts from
            // one (CatalogTaskActivitiesImpl#resumePoint): a retry reads the task again.
            end(() -> completion.fail(ApplicationFailure.newFailure(
                    "the wait for task " + point.taskId() + " ended without a terminal status",
                    CatalogTaskActivitiesImpl.WATCH_FAILED)));
            return;
        }
        TerminalTask result = TerminalTask.of(point.zoneId(), terminal);
        if (terminal.status() == TaskStatus.FAILED) {
            String message = "task " + terminal.id() + " in zone " + point.zoneId() + " failed: "
                    + SafeText.escape(String.valueOf(terminal.errorMessage()), 2000);
            end(() -> completion.fail(
                    ApplicationFailure.newNonRetryableFailure(message, CatalogTaskActivitiesImpl.TASK_FAILED, result)));
        } else {
            end(() -> completion.complete(result));
        }
    }

    private void onError(Throwable error) {
        if (error instanceof WatchTimeoutException timeout && !ownTimeout) {
            // The schedule-to-close deadline: Temporal's own timer ends the activity now, with its TimeoutFailure.
            if (ending.compareAndSet(false, true)) {
                log.debug("activity {} attempt {}: deadline reached, left to Temporal's timeout", activityId, attempt);
                Objects.requireNonNull(calls).schedule(this::stop);
            }
            return;
        }
        String message = SafeText.escape(String.valueOf(error.getMessage()), 2000);
        boolean retryable = error instanceof WatchException failure && failure.isTransient();
        end(() -> completion.fail(
                retryable
                        ? ApplicationFailure.newFailure(message, CatalogTaskActivitiesImpl.WATCH_FAILED)
                        : ApplicationFailure.newNonRetryableFailure(message, CatalogTaskActivitiesImpl.WATCH_FAILED)));
    }

    /**
     * Ends the wait once: stops the heartbeats, then reports, after any heartbeat queued before. Both on the blocking
     * worker: this runs on the watch's thread (an event loop), and cancelling the heartbeat timer takes the blocking
     * scheduler's queue lock, which may park.
     */
    private void end(Runnable report) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        Scheduler.Worker worker = Objects.requireNonNull(calls);
        resources.remove(worker); // keep the worker until the report has run
        worker.schedule(() -> {
            stop();
            try {
                report.run();
            } catch (RuntimeException e) {
                // Already completed, timed out or unknown to the server: nothing left to tell it.
                log.debug("activity {} attempt {}: could not report the end: {}", activityId, attempt, e.toString());
            } finally {
                worker.dispose();
            }
        });
    }

    private void heartbeat() {
        Scheduler.Worker worker = calls;
        if (worker != null && !ending.get()) {
            worker.schedule(this::heartbeatNow);
        }
    }

    /** On the blocking worker: records the current token; a cancellation seen here ends the wait. */
    private void heartbeatNow() {
        if (ending.get()) {
            return;
        }
        try {
            completion.recordHeartbeat(point.toToken());
        } catch (RuntimeException e) {
            if (causedBy(e, ActivityCanceledException.class) || causedBy(e, CanceledFailure.class)) {
                cancelled();
            } else if (causedBy(e, ActivityNotExistsException.class)
                    || causedBy(e, ActivityWorkerShutdownException.class)) {
                // Timed out, completed elsewhere, or this worker is going away: no one waits for this wait any more.
                log.debug("activity {} attempt {}: heartbeat refused, stopping the wait: {}", activityId, attempt, e);
                abandon();
            } else {
                // Retried with the next heartbeat; the heartbeat timeout decides whether the gap was too long.
                log.debug("activity {} attempt {}: heartbeat failed: {}", activityId, attempt, e.toString());
            }
        }
    }

    private void cancelled() {
        if (ending.compareAndSet(false, true)) {
            log.debug("activity {} attempt {}: cancelled, stopping the wait", activityId, attempt);
            stop();
            try {
                completion.reportCancellation(null);
            } catch (RuntimeException e) {
                log.debug(
                        "activity {} attempt {}: could not confirm the cancellation: {}",
                        activityId,
                        attempt,
                        e.toString());
            }
        }
    }

    /** Whether {@code e} or one of its causes is a {@code type}: Temporal wraps what its server answered. */
    private static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** Disposes the watch, the heartbeat timer and (unless taken out first) the worker. */
    private void stop() {
        resources.dispose();
        owner.ended(this);
    }
}
