package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.taskwatch.core.CatalogTasksClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.scheduler.VirtualTimeScheduler;

/** {@link TaskWatcher#activeWatches()}: what a watcher reports it is polling, on a virtual clock. */
class ActiveWatchTest {

    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    /** 1 s × 2 up to 10 s without jitter, on the virtual clock. */
    private final WatchOptions options = Tasks.ONE_TWO_TEN.scheduler(time);

    @Test
    void listsNothingBeforeAnyWatch() {
        TaskWatcher watcher = TaskWatcher.create(new ScriptedClient(response("pending")), options);

        assertThat(watcher.activeWatches()).isEmpty();
    }

    @Test
    void showsTheRequestInFlightBeforeTheFirstAnswer() {
        Sinks.One<CatalogTasksClient.Response> answer = Sinks.one();
        CatalogTasksClient client = (zone, task, requestId) -> answer.asMono();
        TaskWatcher watcher = TaskWatcher.create(client, options);

        Disposable subscriber = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(5));

        assertThat(watcher.activeWatches())
                .containsExactly(new TaskWatcher.ActiveWatch(ZONE, TASK, null, 1, Duration.ofSeconds(5), null, 1));

        answer.tryEmitValue(response("running"));
        assertThat(watcher.activeWatches())
                .containsExactly(new TaskWatcher.ActiveWatch(
                        ZONE, TASK, "running", 1, Duration.ofSeconds(5), Duration.ofSeconds(1), 1));
        subscriber.dispose();
    }

    @Test
    void showsWhenTheNextPollIsDueDuringBackoff() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("pending"), response("running"));
        TaskWatcher watcher = TaskWatcher.create(client, options);

        Disposable subscriber = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofMillis(400));
        assertThat(watcher.activeWatches())
                .containsExactly(new TaskWatcher.ActiveWatch(
                        ZONE, TASK, "pending", 1, Duration.ofMillis(400), Duration.ofMillis(600), 1));

        // Polls at 0 s, 1 s and 3 s; the next one waits 4 s, until 7 s.
        time.advanceTimeBy(Duration.ofMillis(3100));
        assertThat(watcher.activeWatches())
                .containsExactly(new TaskWatcher.ActiveWatch(
                        ZONE, TASK, "running", 3, Duration.ofMillis(3500), Duration.ofMillis(3500), 1));
        subscriber.dispose();
    }

    @Test
    void subscribersOfOneTaskShareOneEntryAndTasksAreListedInOrder() {
        TaskWatcher watcher = TaskWatcher.create(new ScriptedClient(response("pending")), options);

        Disposable b = watcher.watch(ZONE, "task-b").subscribe();
        Disposable a1 = watcher.watch(ZONE, "task-a").subscribe();
        Disposable a2 = watcher.watch(ZONE, "task-a").subscribe();

        assertThat(watcher.activeWatches())
                .extracting(
                        TaskWatcher.ActiveWatch::taskId,
                        TaskWatcher.ActiveWatch::subscribers,
                        TaskWatcher.ActiveWatch::polls)
                .containsExactly(tuple("task-a", 2, 1), tuple("task-b", 1, 1));

        a1.dispose();
        assertThat(watcher.activeWatches())
                .extracting(TaskWatcher.ActiveWatch::taskId, TaskWatcher.ActiveWatch::subscribers)
                .containsExactly(tuple("task-a", 1), tuple("task-b", 1));

        a2.dispose();
        b.dispose();
        assertThat(watcher.activeWatches()).isEmpty();
    }

    @Test
    void aWatchIsGoneOnceItsTaskEnds() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("completed"));
        TaskWatcher watcher = TaskWatcher.create(client, options);

        watcher.watch(ZONE, TASK).subscribe();
        assertThat(watcher.activeWatches()).hasSize(1);

        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(watcher.activeWatches()).isEmpty();
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void aWatchIsGoneOnceItFails() {
        AtomicInteger calls = new AtomicInteger();
        CatalogTasksClient client = (zone, task, requestId) -> {
            calls.incrementAndGet();
            return Mono.error(Tasks.apiError(403));
        };
        TaskWatcher watcher = TaskWatcher.create(client, options);

        watcher.watch(ZONE, TASK).subscribe(task -> {}, error -> {});

        assertThat(calls).hasValue(1);
        assertThat(watcher.activeWatches()).isEmpty();
    }

    @Test
    void snapshotsTakenWhileSubscribersComeAndGoNeverShowAnEmptyLoop() throws Exception {
        CatalogTasksClient client = (zone, task, requestId) -> Mono.never();
        TaskWatcher watcher = TaskWatcher.create(client, Tasks.ONE_TWO_TEN);
        int threads = 4;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        Disposable a = watcher.watch(ZONE, "task-" + (i % 3)).subscribe();
                        Disposable b = watcher.watch(ZONE, "task-" + (i % 5)).subscribe();
                        a.dispose();
                        b.dispose();
                    }
                }));
            }
            Future<?> reader = pool.submit(() -> {
                while (!work.stream().allMatch(Future::isDone)) {
                    for (TaskWatcher.ActiveWatch w : watcher.activeWatches()) {
                        assertThat(w.subscribers()).isBetween(1, 2 * threads);
                        assertThat(w.polls()).isBetween(0, 1);
                        assertThat(w.nextPollIn())
                                .as("a request is in flight until it is cancelled")
                                .isNull();
                    }
                }
            });
            for (Future<?> f : work) {
                f.get(30, TimeUnit.SECONDS);
            }
            reader.get(30, TimeUnit.SECONDS);
            assertThat(watcher.activeWatches()).isEmpty();
            assertThat(watcher.loopCount()).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theListIsUnmodifiable() {
        TaskWatcher watcher = TaskWatcher.create(new ScriptedClient(response("pending")), options);
        Disposable subscriber = watcher.watch(ZONE, TASK).subscribe();

        assertThat(watcher.activeWatches()).isUnmodifiable();
        subscriber.dispose();
    }
}
