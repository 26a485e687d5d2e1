package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Watches catalog tasks: a {@link Flux} of each task's status transitions, polled with exponential backoff, that
 * completes when the task ends.
 *
 * <pre>{@code
 * TaskWatcher watcher = TaskWatcher.create(client);
 * watcher.watch("zone-1", "task-1")
 *     .doOnNext(task -> System.out.println(task.statusValue()))
 *     .blockLast();                                   // pending, running, completed
 *
 * Mono<Task> installed = watcher.awaitCompleted("zone-1", "task-1");  // errors with TaskFailedException on failure
 * }</pre>
 *
 * <p>Share one watcher per client: it is thread-safe, holds no threads of its own (timing runs on
 * {@link WatchOptions#scheduler()}), and concurrent watches of the same task on one watcher share one polling loop,
 * whatever threads subscribe and cancel. Nothing polls while no one is subscribed.
 *
 * <p>Closing is optional: an application that stops should {@link #close()} the watcher before its client, so that
 * no watch polls after the stop and every subscriber learns that its watch was cut short.
 */
public final class TaskWatcher implements AutoCloseable {

    private static final Comparator<TaskWatcher.ActiveWatch> BY_TASK =
            Comparator.comparing(TaskWatcher.ActiveWatch::zoneId).thenComparing(TaskWatcher.ActiveWatch::taskId);

    private final CatalogTasksClient client;
    private final WatchOptions options;
    private final WatchMetrics metrics;
    private final WatchTracing tracing;
    private final ConcurrentMap<Key, WatchLoop> loops = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private TaskWatcher(CatalogTasksClient client, WatchOptions options) {
        this.client = client;
        this.options = options;
        this.metrics = WatchMetrics.of(options.meterRegistry());
        this.tracing = WatchTracing.of(options.observationRegistry());
    }

    /**
     * A watcher with {@link WatchOptions#defaults()}.
     *
     * @param client the client to poll with, not {@code null}; the watcher does not close it
     * @return a new watcher with no watch running
     */
    public static TaskWatcher create(CatalogTasksClient client) {
        return create(client, WatchOptions.defaults());
    }

    /**
     * A watcher with the given options.
     *
     * @param client the client to poll with, not {@code null}; the watcher does not close it
     * @param options the backoff, timeouts, scheduler and observers of every watch, not {@code null}
     * @return a new watcher with no watch running
     */
    public static TaskWatcher create(CatalogTasksClient client, WatchOptions options) {
        return new TaskWatcher(Objects.requireNonNull(client, "client"), Objects.requireNonNull(options, "options"));
    }

    /**
     * The transitions of a task. Nothing is sent until subscription; then the first poll goes out at once.
     *
     * <ul>
     *   <li>{@code onNext}: the first task seen, then each task whose status differs from every one emitted before
     *       and does not move backwards ({@code pending < running < completed | failed}; an unknown status ranks
     *       with {@code running} and is emitted once per raw value). A completed task carries the fields last seen
     *       plus its install id.
     *   <li>{@code onComplete}: right after a {@code completed} or {@code failed} task; a failed task is data. A
     *       subscriber that has been sent the terminal task always completes, never errors.
     *   <li>{@code onError}: a {@link WatchException} carrying the last task seen when a fatal answer arrives
     *       ({@code 401}, {@code 403}, {@code 404} after the not-found grace, any definite error from the OAuth2 token
     *       endpoint ({@link dev.taskwatch.core.CatalogAuthenticationException}), …), the error budget is used up, or
     *       this subscription's timeout passes ({@link WatchTimeoutException}). Never an exception of another
     *       type.
     * </ul>
     *
     * <p>Transient failures are retried and never emitted. Subscribers of the same task on this watcher share one
     * polling loop: a late subscriber first receives the latest transition, and each has its own timeout, counted
     * from its own subscription. Each subscriber has its own queue, so one that requests slowly holds up no other.
     * Cancelling the last subscriber stops the loop, disposing its pending timer or request.
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @return a lazy Flux of the task's transitions, which completes after the terminal one
     * @throws IllegalArgumentException at call time, before any I/O, if an id is not 1–128 characters of
     *     {@code [A-Za-z0-9._~-]} or is {@code .} or {@code ..}
     */
    public Flux<Task> watch(String zoneId, String taskId) {
        Key key = key(zoneId, taskId);
        return tracing.observe(new WatchFlux(this, key, false), key);
    }

    /**
     * The transitions of a task after a {@link ResumePoint}: as {@link #watch(String, String)}, except that
     *
     * <ul>
     *   <li>nothing at or before the point's status is emitted: a status of lower rank, or the status itself (a later
     *       status is emitted as usual; a point at a terminal status completes without emitting once a poll confirms
     *       it);
     *   <li>the point's deadline, when it has one, replaces the options' timeout: the watch ends with
     *       {@link WatchTimeoutException} at that instant, read on the options' scheduler clock as wall-clock
     *       time; a deadline already past ends it at subscription, without a request;
     *   <li>the first poll goes out at subscription, as for any watch that starts a loop. A watch that joins a loop
     *       already polling this task first receives the loop's latest transition (if not skipped) and follows the
     *       loop's schedule, which sends no extra request.
     * </ul>
     *
     * <p>The resume point of each transition is {@code from.after(task)}; its {@link ResumePoint#toToken() token}
     * resumes the watch in another process.
     *
     * @param from where to pick up, not {@code null}
     * @return a lazy Flux of the transitions after the point, which completes after the terminal one
     * @throws IllegalArgumentException never for a point, whose ids were checked when it was made
     */
    public Flux<Task> watch(ResumePoint from) {
        Objects.requireNonNull(from, "from");
        Key key = key(from.zoneId(), from.taskId());
        return tracing.observe(new WatchFlux(this, key, from), key);
    }

    /**
     * The task's terminal state, completed or failed. Errors as {@link #watch} does.
     *
     * @param zoneId the zone id, as for {@link #watch(String, String)}
     * @param taskId the task id, as for {@link #watch(String, String)}
     * @return a lazy Mono that emits the completed or failed task, or errors with a {@link WatchException}
     * @throws IllegalArgumentException at call time if an id is invalid, as for {@link #watch}
     */
    public Mono<Task> awaitTerminal(String zoneId, String taskId) {
        return watch(zoneId, taskId).last();
    }

    /**
     * The completed task. Errors with {@link TaskFailedException} if the task failed, otherwise as {@link #watch}
     * does.
     *
     * @param zoneId the zone id, as for {@link #watch(String, String)}
     * @param taskId the task id, as for {@link #watch(String, String)}
     * @return a lazy Mono that emits the completed task (with its install id), or errors with a
     *     {@link WatchException}
     * @throws IllegalArgumentException at call time if an id is invalid, as for {@link #watch}
     */
    public Mono<Task> awaitCompleted(String zoneId, String taskId) {
        Key key = key(zoneId, taskId);
        return tracing.observe(new WatchFlux(this, key, true), key).last();
    }

    /**
     * Cancels every watch and refuses new ones. Each current subscriber ends with a {@link WatchException} that
     * carries the last task seen and is not {@linkplain WatchException#isTransient() transient}; pending timers
     * and requests in flight are disposed, so no poll is sent after this returns. A watch subscribed afterwards ends
     * the same way at once, without a request. The client is not closed: close it after the watcher. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        // A loop registered while this runs is shut down by join(), which checks closed after registering.
        for (WatchLoop loop : loops.values()) {
            loop.shutdown();
        }
    }

    /**
     * What this watcher is polling right now: one entry per polling loop (subscribers of the same task share one),
     * ordered by zone and task. Each entry is read consistently under its loop's lock, held for a few field reads;
     * entries of different loops are read one after the other, not at one instant. Loops that end while this runs may
     * or may not be listed. Meant for diagnostics (an actuator endpoint, a status page); it allocates one small
     * record per loop, so calling it per request of a hot path is not.
     *
     * @return an unmodifiable list, empty when nothing is watched
     */
    public List<TaskWatcher.ActiveWatch> activeWatches() {
        List<TaskWatcher.ActiveWatch> watches = new ArrayList<>(loops.size());
        for (WatchLoop loop : loops.values()) {
            TaskWatcher.ActiveWatch watch = loop.snapshot();
            if (watch != null) {
                watches.add(watch);
            }
        }
        watches.sort(BY_TASK);
        return Collections.unmodifiableList(watches);
    }

    /** How many polling loops are registered, without building a snapshot (tests). */
    int loopCount() {
        return loops.size();
    }

    @Override
    public String toString() {
        return "TaskWatcher{client=" + client + ", options=" + options + ", activeWatches=" + loops.size()
                + (closed ? ", closed" : "") + "}";
    }

    CatalogTasksClient client() {
        return client;
    }

    WatchOptions options() {
        return options;
    }

    WatchMetrics metrics() {
        return metrics;
    }

    /**
     * Adds a subscriber to the task's open loop, or registers and starts a new loop. A loop found closed (its last
     * subscriber just left, or it just ended) is dropped from the registry and the search starts over.
     */
    void join(Key key, WatchSubscription subscriber) {
        for (; ; ) {
            if (closed) {
                subscriber.fail(new WatchException(
                        "watch of task " + key.taskId() + " in zone " + key.zoneId()
                                + " not started: the watcher is closed",
                        null,
                        null,
                        0,
                        false));
                subscriber.drain();
                return;
            }
            WatchLoop loop = loops.get(key);
            if (loop == null) {
                WatchLoop fresh = new WatchLoop(this, key);
                loop = loops.putIfAbsent(key, fresh);
                if (loop == null) {
                    loop = fresh;
                }
            }
            subscriber.bind(loop);
            switch (loop.join(subscriber)) {
                case FIRST -> {
                    subscriber.armDeadline();
                    if (closed) {
                        // close() ran since the check above and may have missed this loop: no poll goes out.
                        loop.shutdown();
                    } else {
                        loop.run();
                    }
                    subscriber.drain();
                    return;
                }
                case ADDED -> {
                    subscriber.armDeadline();
                    if (closed) {
                        loop.shutdown();
                    }
                    subscriber.drain();
                    return;
                }
                case GONE -> {
                    return;
                }
                case CLOSED -> loops.remove(key, loop);
            }
        }
    }

    /** Called by a loop as it closes, so that no closed loop stays registered. */
    void unregister(Key key, WatchLoop loop) {
        loops.remove(key, loop);
    }

    private static Key key(String zoneId, String taskId) {
        return new Key(
                CatalogTasksClient.requireValidId(zoneId, "zoneId"),
                CatalogTasksClient.requireValidId(taskId, "taskId"));
    }

    /** Which task a loop polls. */
    record Key(String zoneId, String taskId) {}

    /**
     * What one polling loop of a {@link TaskWatcher} is doing at the moment {@link TaskWatcher#activeWatches()} was
     * called: which task it polls, what it saw last, and when it polls next.
     *
     * <pre>{@code
     * for (TaskWatcher.ActiveWatch w : watcher.activeWatches()) {
     *     System.out.printf("%s/%s %s after %d polls, next in %s%n",
     *         w.zoneId(), w.taskId(), w.lastStatus(), w.polls(), w.nextPollIn());
     * }
     * }</pre>
     *
     * <p>Times are relative durations on the watcher's {@link WatchOptions#scheduler()} clock, so they read the same
     * under virtual time and need no wall clock to interpret.
     *
     * @param zoneId the zone of the task
     * @param taskId the task
     * @param lastStatus the raw status of the last answer that was not stale (as on the wire, so an unknown value prints
     *     unchanged), or {@code null} before the first answer
     * @param polls the requests this loop has sent so far, including one in flight
     * @param age how long ago the loop sent its first request; zero before it has sent one
     * @param nextPollIn how long until the next request is sent, or {@code null} while a request is in flight (or about to
     *     be sent)
     * @param subscribers how many subscribers share this loop
     */
    public record ActiveWatch(
            String zoneId,
            String taskId,
            @Nullable String lastStatus,
            int polls,
            Duration age,
            @Nullable Duration nextPollIn,
            int subscribers) {

        /**
         * Checks the components.
         *
         * @param zoneId the zone of the task, not {@code null}
         * @param taskId the task, not {@code null}
         * @param lastStatus the raw status last seen, or {@code null} before the first answer
         * @param polls the requests sent so far
         * @param age how long ago the first request went out, not {@code null}
         * @param nextPollIn how long until the next request, or {@code null} while one is in flight
         * @param subscribers how many subscribers share the loop
         */
        public ActiveWatch {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(age, "age");
        }
    }
}
