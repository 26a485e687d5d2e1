package dev.taskwatch.temporal;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * {@link CatalogTaskActivities} on a {@link TaskWatcher}: each wait is a watch, not a thread. The activity method
 * returns at once and completes the activity later, through Temporal's local manual completion, so one worker holds as
 * many waits as its {@code maxConcurrentActivityExecutionSize} allows while its activity threads stay free.
 *
 * <pre>{@code
 * CatalogTaskActivitiesImpl activities = CatalogTaskActivitiesImpl.create(TaskWatcher.create(client));
 * worker.registerActivitiesImplementations(activities);
 * // on shutdown, after the worker factory:
 * activities.close();
 * }</pre>
 *
 * <p>Each wait heartbeats its {@linkplain ResumePoint#toToken() resume token} on every transition and at least every
 * half heartbeat timeout (every 30 s when the activity has none). A retry — after a worker crash, a heartbeat timeout
 * or a retryable failure — reads the last heartbeat's token and resumes from it: the statuses reported before are not
 * reported again, the deadline stays the first attempt's, and the first poll goes out at once. The deadline is the
 * activity's schedule-to-close deadline (scheduled time plus timeout); without one, the watcher's own
 * {@code timeout}, per attempt.
 *
 * <p>Temporal's client calls (heartbeat, complete, fail) block on gRPC, so they run on
 * {@link Schedulers#boundedElastic()}, never on the watcher's event loops. Thread-safe; share one per worker.
 */
public final class CatalogTaskActivitiesImpl implements CatalogTaskActivities, AutoCloseable {

    /** The {@code ApplicationFailure} type of a task that failed. */
    public static final String TASK_FAILED = "CatalogTaskFailed";

    /** The {@code ApplicationFailure} type of a watch that ended with an error before the task did. */
    public static final String WATCH_FAILED = "CatalogTaskWatchFailed";

    /** The {@code ApplicationFailure} type of a zone or task id the API would refuse: retrying cannot help. */
    public static final String INVALID_ID = "CatalogTaskInvalidId";

    static final Duration DEFAULT_HEARTBEAT_PERIOD = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(CatalogTaskActivitiesImpl.class);

    private final TaskWatcher watcher;
    private final Scheduler blocking;
    private final Consumer<Transition> listener;
    private final Set<ActivityWait> waits = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * What a test sees of a wait: its start ({@code task} null) and each transition it reports, with the attempt and
     * when ({@link System#nanoTime()}).
     */
    record Transition(
            String activityId, int attempt, @Nullable Task task, long atNanos) {}

    CatalogTaskActivitiesImpl(TaskWatcher watcher, Scheduler blocking, Consumer<Transition> listener) {
        this.watcher = watcher;
        this.blocking = blocking;
        this.listener = listener;
    }

    /**
     * Activities that wait with {@code watcher}; closing them does not close it.
     *
     * @param watcher the watcher every wait polls through, not {@code null}; its options (backoff, error budget,
     *     not-found grace) apply to each wait, its {@code timeout} only when the activity has no schedule-to-close
     *     timeout
     * @return new activities to register with one worker, with no waits yet
     * @throws NullPointerException if {@code watcher} is {@code null}
     */
    public static CatalogTaskActivitiesImpl create(TaskWatcher watcher) {
        return new CatalogTaskActivitiesImpl(
                Objects.requireNonNull(watcher, "watcher"), Schedulers.boundedElastic(), t -> {});
    }

    @Override
    public TerminalTask awaitTask(String zoneId, String taskId) {
        ActivityExecutionContext context = Activity.getExecutionContext();
        ActivityInfo info = context.getInfo();
        if (closed) {
            throw new IllegalStateException("these activities are closed: the worker is shutting down");
        }
        ResumePoint from;
        try {
            from = resumePoint(context, info, zoneId, taskId);
        } catch (IllegalArgumentException e) {
            // An invalid id: Temporal would retry a plain exception until the deadline, with the same outcome.
            throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), INVALID_ID);
        }
        Duration heartbeatTimeout = info.getHeartbeatTimeout();
        Duration period = heartbeatTimeout.isZero() ? DEFAULT_HEARTBEAT_PERIOD : heartbeatTimeout.dividedBy(2);
        ActivityWait wait = new ActivityWait(
                this,
                context.useLocalManualCompletion(),
                from,
                period,
                info.getActivityId(),
                info.getAttempt(),
                info.getScheduleToCloseTimeout().isZero());
        waits.add(wait);
        wait.start(watcher, blocking);
        if (closed) {
            wait.abandon(); // close() ran while this wait started and may have missed it
        }
        return null; // ignored: the activity completes through its completion client
    }

    /**
     * Stops every wait without completing its activity, as if this process ended: Temporal retries each one after
     * its heartbeat timeout, on whichever worker polls the task queue, and the retry resumes from the last heartbeat.
     * Call it after shutting the worker factory down. The watcher stays open. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        for (ActivityWait wait : waits) {
            wait.abandon();
        }
    }

    @Override
    public String toString() {
        return "CatalogTaskActivitiesImpl{waits=" + waits.size() + (closed ? ", closed" : "") + "}";
    }

    void ended(ActivityWait wait) {
        waits.remove(wait);
    }

    void transition(ActivityWait wait, @Nullable Task task) {
        listener.accept(new Transition(wait.activityId(), wait.attempt(), task, System.nanoTime()));
    }

    /**
     * Where this attempt starts: the last heartbeat's point on a retry, else the start of the task with the
     * schedule-to-close deadline. A point at a terminal status (the last attempt heartbeated the end but could not
     * report it) starts over with the same deadline, so that the task is read once more and returned.
     */
    private static ResumePoint resumePoint(
            ActivityExecutionContext context, ActivityInfo info, String zoneId, String taskId) {
        Instant deadline = info.getScheduleToCloseTimeout().isZero()
                ? null
                : Instant.ofEpochMilli(info.getScheduledTimestamp()).plus(info.getScheduleToCloseTimeout());
        ResumePoint fresh = ResumePoint.start(zoneId, taskId, deadline);
        String token = context.getHeartbeatDetails(String.class).orElse(null);
        if (token == null) {
            return fresh;
        }
        ResumePoint last;
        try {
            last = ResumePoint.fromToken(token);
        } catch (IllegalArgumentException e) {
            log.warn(
                    "activity {}: last heartbeat is not a resume token, starting over: {}",
                    info.getActivityId(),
                    e.getMessage());
            return fresh;
        }
        if (!last.zoneId().equals(zoneId) || !last.taskId().equals(taskId)) {
            log.warn(
                    "activity {}: last heartbeat is for task {} in zone {}, not this one: starting over",
                    info.getActivityId(),
                    last.taskId(),
                    last.zoneId());
            return fresh;
        }
        String status = last.status();
        if (status != null && TaskStatus.fromWire(status).isTerminal()) {
            return ResumePoint.start(zoneId, taskId, last.deadline());
        }
        log.info(
                "activity {} attempt {}: resuming from the last heartbeat, {}",
                info.getActivityId(),
                info.getAttempt(),
                last);
        return last;
    }
}
