package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.response;
import static dev.taskwatch.reactor.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** DESIGN.md §4.10: one polling loop per task and watcher, and a registry that never leaks. */
class TaskWatcherSharingTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final WatchOptions NO_JITTER = Tasks.ONE_TWO_TEN;

    @Test
    void fiftyConcurrentSubscribersShareOnePollSequence() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"), response("completed"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);

        StepVerifier.withVirtualTime(() -> Flux.range(0, 50).flatMap(i -> watcher.watch(ZONE, TASK)))
                .expectNextCount(50)
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(50)
                .thenAwait(Duration.ofSeconds(2))
                .expectNextCount(50)
                .expectComplete()
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void lateSubscriberFirstReceivesTheLatestTask() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"), response("completed"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
        List<Task> early = new ArrayList<>();
        List<Task> late = new ArrayList<>();

        watcher.watch(ZONE, TASK).subscribe(early::add);
        time.advanceTimeBy(Duration.ofSeconds(1));
        watcher.watch(ZONE, TASK).subscribe(late::add);
        assertThat(late).containsExactly(task("running"));
        time.advanceTimeBy(Duration.ofSeconds(2));

        assertThat(early).extracting(Task::statusValue).containsExactly("pending", "running", "completed");
        assertThat(late).extracting(Task::statusValue).containsExactly("running", "completed");
        assertThat(client.calls).hasValue(3);
    }

    @Test
    void cancellingAllSubscribersStopsPollingAndLeavesTheRegistry() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
        List<Disposable> subscribers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            subscribers.add(watcher.watch(ZONE, TASK).subscribe());
        }
        time.advanceTimeBy(Duration.ofSeconds(3));
        assertThat(client.calls).hasValue(3);
        assertThat(watcher.loopCount()).isOne();

        subscribers.subList(0, 49).forEach(Disposable::dispose);
        time.advanceTimeBy(Duration.ofSeconds(4));
        assertThat(client.calls).as("one subscriber left keeps the loop").hasValue(4);

        subscribers.get(49).dispose();
        time.advanceTimeBy(Duration.ofHours(1));
        assertThat(client.calls).hasValue(4);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void differentTasksHaveTheirOwnLoops() {
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);

        StepVerifier.withVirtualTime(() -> Flux.merge(watcher.watch(ZONE, TASK), watcher.watch(ZONE, "task-2")))
                .expectNextCount(2)
                .then(() -> assertThat(watcher.loopCount()).isEqualTo(2))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.calls).hasValue(2);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void watchingAgainAfterTheEndStartsAFreshLoop() {
        ScriptedClient client = new ScriptedClient(response("completed"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);
        Flux<Task> watch = watcher.watch(ZONE, TASK);

        assertThat(watch.blockLast(WAIT)).isEqualTo(task("completed"));
        assertThat(watch.blockLast(WAIT)).isEqualTo(task("completed"));
        assertThat(client.calls).hasValue(2);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void registryIsEmptyAfter100000SequentialShortWatches() {
        // Completed at once, pending (cancelled after the first Task) or refused: every way a loop can end.
        AtomicInteger n = new AtomicInteger();
        CatalogTasksClient client = (zone, taskId, requestId) -> switch (n.getAndIncrement() % 3) {
            case 0 ->
                Mono.just(new CatalogTasksClient.Response(
                        Task.of(taskId, dev.taskwatch.core.TaskStatus.COMPLETED, "i"), null));
            case 1 ->
                Mono.just(new CatalogTasksClient.Response(
                        new Task(
                                taskId, null, null, "pending", null, null, "i", List.of(), null, null, null, List.of()),
                        null));
            default -> Mono.error(apiError(403));
        };
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        for (int i = 0; i < 100_000; i++) {
            watcher.watch(ZONE, "t" + i)
                    .take(1)
                    .onErrorResume(e -> {
                        errors.add(e);
                        return Mono.empty();
                    })
                    .blockLast(WAIT);
        }

        assertThat(n).hasValue(100_000);
        assertThat(errors).hasSize(33_333).allMatch(e -> e instanceof WatchException);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void aFailingLoopEndsEverySubscriberWithTheSameError() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("running"), apiError(401));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
        List<Throwable> errors = new CopyOnWriteArrayList<>();

        watcher.watch(ZONE, TASK).subscribe(t -> {}, errors::add);
        watcher.watch(ZONE, TASK).subscribe(t -> {}, errors::add);
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(errors).hasSize(2).allMatch(e -> e instanceof WatchException);
        assertThat(client.calls).hasValue(2);
        assertThat(watcher.loopCount()).isZero();
    }
}
