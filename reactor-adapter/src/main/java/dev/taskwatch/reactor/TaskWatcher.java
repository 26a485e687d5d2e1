package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
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
 * {@link WatchOptions#scheduler()}), and concurrent watches of the same task on one watcher share one polling loop.
 * Nothing polls while no one is subscribed.
 */
public final class TaskWatcher {

    private final CatalogTasksClient client;
    private final WatchOptions options;
    private final WatchMetrics metrics;
    private final ConcurrentMap<Key, Shared> active = new ConcurrentHashMap<>();

    private TaskWatcher(CatalogTasksClient client, WatchOptions options) {
        this.client = client;
        this.options = options;
        this.metrics = WatchMetrics.of(options.meterRegistryOrNull());
    }

    /** A watcher with {@link WatchOptions#defaults()}. */
    public static TaskWatcher create(CatalogTasksClient client) {
        return create(client, WatchOptions.defaults());
    }

    /** A watcher with the given options. */
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
     *   <li>{@code onComplete}: right after a {@code completed} or {@code failed} task; a failed task is data.
     *   <li>{@code onError}: a {@link TaskWatchException} carrying the last task seen when a fatal answer arrives
     *       ({@code 401}, {@code 403}, {@code 404} after the not-found grace, …), the error budget is used up, or the
     *       timeout passes ({@link TaskWatchTimeoutException}).
     * </ul>
     *
     * <p>Transient failures are retried and never emitted. Subscribers of the same task on this watcher share one
     * polling loop: a late subscriber first receives the latest transition. Cancelling the last subscriber stops the
     * loop, disposing any pending timer or request.
     *
     * @throws IllegalArgumentException at call time, before any I/O, if an id is not 1–128 characters of
     *     {@code [A-Za-z0-9._~-]} or is {@code .} or {@code ..}
     */
    public Flux<Task> watch(String zoneId, String taskId) {
        return shared(zoneId, taskId).map(WatchLoop.Emission::task);
    }

    /**
     * The task's terminal state, completed or failed. Errors as {@link #watch} does.
     *
     * @throws IllegalArgumentException at call time if an id is invalid, as for {@link #watch}
     */
    public Mono<Task> awaitTerminal(String zoneId, String taskId) {
        return shared(zoneId, taskId).last().map(WatchLoop.Emission::task);
    }

    /**
     * The completed task. Errors with {@link TaskFailedException} if the task failed, otherwise as {@link #watch}
     * does.
     *
     * @throws IllegalArgumentException at call time if an id is invalid, as for {@link #watch}
     */
    public Mono<Task> awaitCompleted(String zoneId, String taskId) {
        return shared(zoneId, taskId)
                .last()
                .flatMap(last -> last.task().status() == TaskStatus.FAILED
                        ? Mono.error(new TaskFailedException(last.task(), last.polls()))
                        : Mono.just(last.task()));
    }

    /** How many polling loops are running (tests). */
    int activeWatches() {
        return active.size();
    }

    @Override
    public String toString() {
        return "TaskWatcher{client=" + client + ", options=" + options + ", activeWatches=" + active.size() + "}";
    }

    private Flux<WatchLoop.Emission> shared(String zoneId, String taskId) {
        Key key = new Key(
                CatalogTasksClient.requireValidId(zoneId, "zoneId"),
                CatalogTasksClient.requireValidId(taskId, "taskId"));
        // Looked up per subscription: a loop that ended is gone from the map, so a new subscriber starts a new one.
        return Flux.defer(() -> active.computeIfAbsent(key, Shared::new).flux);
    }

    private record Key(String zoneId, String taskId) {}

    /** One task's polling loop, shared by its subscribers, in the registry while it runs. */
    private final class Shared {
        final Flux<WatchLoop.Emission> flux;

        Shared(Key key) {
            // Leave the registry before the terminal signal reaches subscribers, so one that re-watches from its
            // onComplete gets a fresh loop; remove(key, this) never removes a successor.
            this.flux = WatchLoop.transitions(client, options, metrics, key.zoneId(), key.taskId())
                    .doOnTerminate(() -> active.remove(key, this))
                    .doOnCancel(() -> active.remove(key, this))
                    .replay(1)
                    .refCount();
        }
    }
}
