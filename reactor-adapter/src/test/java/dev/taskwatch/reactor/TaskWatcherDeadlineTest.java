package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.response;
import static dev.taskwatch.reactor.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.guard.LiveTimers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * DESIGN §4.5 and §4.8 on a shared loop: deadlines are each subscriber's own and decided once, hints have a floor,
 * and no timer outlives its watch. Virtual time throughout; "slow" subscribers move the clock from inside onNext.
 */
class TaskWatcherDeadlineTest {

    private static final WatchOptions NO_JITTER = Tasks.ONE_TWO_TEN;

    /** What a subscriber saw: its tasks, then "complete" or the error. */
    private static final class Seen {
        final List<String> signals = new CopyOnWriteArrayList<>();
        volatile Throwable error;

        Disposable subscribe(TaskWatcher watcher, java.util.function.Consumer<Task> onNext) {
            return watcher.watch(ZONE, TASK)
                    .subscribe(
                            t -> {
                                signals.add(t.statusValue());
                                onNext.accept(t);
                            },
                            e -> {
                                error = e;
                                signals.add("error");
                            },
                            () -> signals.add("complete"));
        }
    }

    @Test
    void aSubscriberHandedTheTerminalTaskCompletesEvenIfItsDeadlinePassesWhileItHandlesIt() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("pending"), response("completed")).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.timeout(Duration.ofMillis(1500)).scheduler(clock));
        Seen seen = new Seen();

        // Slow: handling the completed task takes ten seconds, well past the 1.5 s deadline.
        seen.subscribe(watcher, t -> {
            if (t.status().isTerminal()) {
                time.advanceTimeBy(Duration.ofSeconds(10));
            }
        });
        time.advanceTimeBy(Duration.ofSeconds(1));

        assertThat(seen.signals).containsExactly("pending", "completed", "complete");
        assertThat(seen.error).isNull();
        assertThat(clock.pending()).as("deadline timer disposed").isZero();
    }

    @Test
    void aSlowSubscriberStillTimesOutWhenTheDeadlineComesFirst() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("pending"), response("completed")).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.timeout(Duration.ofMillis(500)).scheduler(clock));
        Seen seen = new Seen();

        // Handling "pending" takes two seconds: the deadline passes before the completed task is even asked for.
        seen.subscribe(watcher, t -> time.advanceTimeBy(Duration.ofSeconds(2)));

        assertThat(seen.signals).containsExactly("pending", "error");
        assertThat(seen.error).isInstanceOf(WatchTimeoutException.class);
        assertThat(((WatchTimeoutException) seen.error).lastTask()).isEqualTo(task("pending"));
        assertThat(client.calls).hasValue(1);
        assertThat(watcher.loopCount()).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void eachSubscriberHasItsOwnTimeoutCountedFromItsOwnSubscription() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("pending")).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client,
                NO_JITTER
                        .maxDelay(Duration.ofSeconds(1))
                        .timeout(Duration.ofSeconds(10))
                        .scheduler(clock));
        Seen early = new Seen();
        Seen late = new Seen();

        early.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofSeconds(6));
        late.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofSeconds(4));

        assertThat(early.signals).containsExactly("pending", "error");
        assertThat(((WatchTimeoutException) early.error).elapsed()).isEqualTo(Duration.ofSeconds(10));
        assertThat(late.signals).containsExactly("pending");
        assertThat(watcher.loopCount()).as("the late subscriber keeps the loop").isOne();

        time.advanceTimeBy(Duration.ofSeconds(6));
        assertThat(late.signals).containsExactly("pending", "error");
        assertThat(((WatchTimeoutException) late.error).elapsed()).isEqualTo(Duration.ofSeconds(10));
        int calls = client.calls.get();
        time.advanceTimeBy(Duration.ofHours(1));
        assertThat(client.calls).hasValue(calls);
        assertThat(watcher.loopCount()).isZero();
        assertThat(clock.pending()).isZero();
    }

    @Test
    void aHintPastOneSubscribersDeadlineEndsThatSubscriberOnly() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(
                        response("pending"), response("pending", Duration.ofMillis(9_200)), response("completed"))
                .clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.timeout(Duration.ofSeconds(10)).scheduler(clock));
        Seen first = new Seen();
        Seen second = new Seen();

        first.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofMillis(500));
        second.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofMillis(500)); // poll 2 at 1 s asks for 9.2 s: past 10 s for the first only

        assertThat(first.signals).containsExactly("pending", "error");
        WatchTimeoutException timeout = (WatchTimeoutException) first.error;
        assertThat(timeout.elapsed()).isEqualTo(Duration.ofSeconds(1));
        assertThat(timeout).hasMessageContaining("PT9.2S");
        assertThat(second.signals).containsExactly("pending");

        time.advanceTimeBy(Duration.ofMillis(9_200));
        assertThat(second.signals).containsExactly("pending", "completed", "complete");
        assertThat(client.callMillis()).containsExactly(0L, 1_000L, 10_200L);
        assertThat(clock.pending()).isZero();
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -5_000, -1})
    void zeroNegativeOrPastHintsNeverPollSoonerThanInitialDelay(long hintMillis) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("pending", Duration.ofMillis(hintMillis))).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.initialDelay(Duration.ofMillis(200)).scheduler(clock));

        Disposable watch = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(3));
        watch.dispose();

        List<Long> calls = client.callMillis();
        assertThat(calls).hasSize(16); // 0, 200, …, 3000 ms: as often as initialDelay allows, not as fast as answers
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i) - calls.get(i - 1)).isEqualTo(200L);
        }
    }

    @Test
    void aHintOfAnErrorHasTheSameFloor() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(apiError(503, Duration.ZERO)).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client,
                NO_JITTER
                        .initialDelay(Duration.ofMillis(200))
                        .maxConsecutiveErrors(1000)
                        .scheduler(clock));

        Disposable watch = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(1));
        watch.dispose();

        assertThat(client.callMillis()).containsExactly(0L, 200L, 400L, 600L, 800L, 1_000L);
    }

    @Test
    void notFoundGraceCountsFromTheLoopsFirstPollNotFromEachSubscription() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(apiError(404)).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(clock));
        Seen first = new Seen();
        Seen late = new Seen();

        first.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofSeconds(20));
        late.subscribe(watcher, t -> {});
        time.advanceTimeBy(Duration.ofSeconds(15)); // 404 at 35 s: 35 s into the loop, 15 s into the late one

        assertThat(first.signals).containsExactly("error");
        assertThat(late.signals).containsExactly("error");
        assertThat(late.error).isSameAs(first.error).isInstanceOf(WatchException.class);
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L, 15L, 25L, 35L);
        assertThat(clock.pending()).isZero();
    }

    @Test
    void cancellingDisposesTheDeadlineTimerAndThePollTimer() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("running")).clock(clock);
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.timeout(Duration.ofHours(1)).scheduler(clock));

        List<Disposable> watches = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            watches.add(watcher.watch(ZONE, TASK).subscribe());
        }
        assertThat(clock.pending()).as("three deadlines and one poll timer").isEqualTo(4);

        watches.forEach(Disposable::dispose);
        assertThat(clock.pending()).isZero();
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void aWatchOnAShutDownSchedulerEndsWithOurErrorCarryingTheLastTask() {
        Scheduler disposed = Schedulers.newSingle("gone");
        disposed.dispose();
        ScriptedClient client = new ScriptedClient(response("running"));
        Seen plain = new Seen();
        Seen timed = new Seen();

        plain.subscribe(TaskWatcher.create(client, NO_JITTER.scheduler(disposed)), t -> {});
        timed.subscribe(
                TaskWatcher.create(client, NO_JITTER.scheduler(disposed).timeout(Duration.ofSeconds(5))), t -> {});

        assertThat(plain.signals).containsExactly("running", "error");
        assertThat(plain.error).isExactlyInstanceOf(WatchException.class);
        assertThat(((WatchException) plain.error).lastTask()).isEqualTo(task("running"));
        assertThat(timed.signals).containsExactly("error");
        assertThat(timed.error).isExactlyInstanceOf(WatchException.class);
    }
}
