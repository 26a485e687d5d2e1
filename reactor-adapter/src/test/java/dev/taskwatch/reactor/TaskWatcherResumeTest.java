package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.CatalogDispatcher.completed;
import static dev.taskwatch.reactor.CatalogDispatcher.task;
import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.guard.LiveTimers;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockWebServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Watches resumed from a {@link ResumePoint} (DESIGN §4.14), over real HTTP (MockWebServer on loopback) and on virtual
 * time: the requests are real, every wait is the virtual clock's. The virtual clock starts at the epoch, so a deadline
 * is an instant a few virtual seconds after it.
 */
class TaskWatcherResumeTest {

    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(20);

    private final MockWebServer server = new MockWebServer();
    private final CatalogDispatcher dispatcher = new CatalogDispatcher();
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final LiveTimers timers = new LiveTimers(time);
    private CatalogTasksClient client;
    private TaskWatcher watcher;

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(dispatcher);
        server.start();
        client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.none())
                .build();
        watcher = TaskWatcher.create(client, Tasks.ONE_TWO_TEN.scheduler(timers));
        time.advanceTimeTo(Instant.ofEpochSecond(1_000));
    }

    @AfterEach
    void stop() {
        watcher.close();
        client.close();
        server.close();
    }

    /** What a subscriber saw: statuses, then "complete" or "error". */
    private static final class Seen {
        final List<String> signals = new CopyOnWriteArrayList<>();
        volatile @Nullable Throwable error;
        volatile long endedAtMillis = -1;

        Disposable subscribe(reactor.core.publisher.Flux<Task> watch, VirtualTimeScheduler time) {
            return watch.subscribe(
                    t -> signals.add(t.statusValue()),
                    e -> {
                        error = e;
                        endedAtMillis = time.now(TimeUnit.MILLISECONDS);
                        signals.add("error");
                    },
                    () -> {
                        endedAtMillis = time.now(TimeUnit.MILLISECONDS);
                        signals.add("complete");
                    });
        }

        boolean ended() {
            return endedAtMillis >= 0;
        }
    }

    /** Moves virtual time from timer to timer, waiting in real time only while a request is in flight. */
    private void runUntil(java.util.function.BooleanSupplier done) {
        long deadline = System.nanoTime() + TEST_TIMEOUT.toNanos();
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("watch still running").isLessThan(deadline);
            // In this order: once no request is in flight, the loop's next timer is already set (in one critical
            // section with the answer), so the shortest timer is the poll's, not a deadline's.
            boolean idle = noRequestInFlight();
            long next = timers.shortestPendingDelayNanos();
            if (next >= 0 && idle) {
                time.advanceTimeBy(Duration.ofNanos(next));
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** A poll is in flight while the loop has no backoff timer but has not ended; see {@link #runUntil}. */
    private boolean noRequestInFlight() {
        return watcher.activeWatches().stream().allMatch(w -> w.nextPollIn() != null);
    }

    private static ResumePoint at(String status, @Nullable Instant deadline) {
        return ResumePoint.start(ZONE, TASK, deadline).after(Tasks.bare(TASK, status));
    }

    @Test
    void aResumedWatchEmitsNothingAtOrBeforeTheStatusSeen() {
        dispatcher.script(TASK, task("pending"), task("running"), task("running"), completed("install-1"));
        Seen seen = new Seen();

        seen.subscribe(watcher.watch(at("running", null)), time);
        runUntil(seen::ended);

        assertThat(seen.signals).containsExactly("completed", "complete");
        assertThat(dispatcher.requestsFor(TASK)).isEqualTo(4);
    }

    @Test
    void aLaterStatusIsEmittedAsUsual() {
        dispatcher.script(TASK, task("running"), completed("install-1"));
        Seen seen = new Seen();

        seen.subscribe(watcher.watch(at("pending", null)), time);
        runUntil(seen::ended);

        assertThat(seen.signals).containsExactly("running", "completed", "complete");
    }

    @Test
    void theFirstPollGoesOutAtOnceWithoutMovingTheClock() throws InterruptedException {
        dispatcher.script(TASK, task("running"));
        long before = time.now(TimeUnit.NANOSECONDS);

        Disposable watch =
                watcher.watch(at("running", Instant.ofEpochSecond(2_000))).subscribe();

        assertThat(server.takeRequest(10, TimeUnit.SECONDS)).as("first poll").isNotNull();
        assertThat(time.now(TimeUnit.NANOSECONDS)).isEqualTo(before);
        watch.dispose();
    }

    @Test
    void theDeadlineIsTheSameInstantWhateverTheResume() {
        dispatcher.script(TASK, task("running"));
        Instant deadline = Instant.ofEpochSecond(1_030);
        Seen first = new Seen();
        ResumePoint start = ResumePoint.start(ZONE, TASK, deadline);
        List<String> tokens = new CopyOnWriteArrayList<>();

        // The first "process" runs 12 virtual seconds, saving the token of each transition, then stops.
        Disposable firstWatch = first.subscribe(
                watcher.watch(start).doOnNext(t -> tokens.add(start.after(t).toToken())), time);
        runUntil(() -> time.now(TimeUnit.SECONDS) >= 1_012);
        firstWatch.dispose();
        assertThat(first.signals).containsExactly("running");

        // The second resumes from the last token 5 s later: no "running" again, and it ends at 1030 s, not later.
        time.advanceTimeBy(Duration.ofSeconds(5));
        long resumedAt = time.now(TimeUnit.SECONDS);
        Seen second = new Seen();
        second.subscribe(watcher.watch(ResumePoint.fromToken(tokens.get(tokens.size() - 1))), time);
        runUntil(second::ended);

        assertThat(second.signals).containsExactly("error");
        assertThat(second.endedAtMillis).isEqualTo(deadline.toEpochMilli());
        WatchTimeoutException timeout = (WatchTimeoutException) second.error;
        assertThat(timeout.elapsed()).isEqualTo(Duration.ofSeconds(1_030 - resumedAt));
        assertThat(timeout.getMessage()).contains("deadline 1970-01-01T00:17:10Z");
        assertThat(timeout.lastTask().status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(watcher.loopCount()).isZero();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void aDeadlineAlreadyPastFailsAtOnceWithoutARequest() {
        dispatcher.script(TASK, task("running"));
        Seen seen = new Seen();

        seen.subscribe(watcher.watch(at("running", Instant.ofEpochSecond(999))), time);

        assertThat(seen.signals).containsExactly("error");
        assertThat(seen.error)
                .isInstanceOf(WatchTimeoutException.class)
                .hasMessageContaining("timed out")
                .hasMessageContaining("deadline 1970-01-01T00:16:39Z");
        assertThat(((WatchTimeoutException) seen.error).elapsed()).isEqualTo(Duration.ofSeconds(1));
        assertThat(dispatcher.requests).isEmpty();
        assertThat(watcher.loopCount()).isZero();
        assertThat(timers.pending()).isZero();
    }

    @Test
    void theDeadlineReplacesTheOptionsTimeout() {
        dispatcher.script(TASK, task("running"));
        TaskWatcher shortTimeout = TaskWatcher.create(
                client, Tasks.ONE_TWO_TEN.timeout(Duration.ofSeconds(2)).scheduler(timers));
        Seen seen = new Seen();

        seen.subscribe(shortTimeout.watch(ResumePoint.start(ZONE, TASK, Instant.ofEpochSecond(1_020))), time);
        runUntil(seen::ended);

        assertThat(seen.endedAtMillis).isEqualTo(1_020_000);
        shortTimeout.close();
    }

    @Test
    void aResumedSubscriberJoiningALoopAheadOfItGetsTheLoopsLatestAtOnce() {
        dispatcher.script(TASK, task("running"), task("running"), completed("install-1"));
        Seen fresh = new Seen();
        fresh.subscribe(watcher.watch(ZONE, TASK), time);
        runUntil(() -> fresh.signals.contains("running"));

        Seen behind = new Seen();
        behind.subscribe(watcher.watch(at("pending", null)), time);
        assertThat(behind.signals).containsExactly("running");

        Seen same = new Seen();
        same.subscribe(watcher.watch(at("running", null)), time);
        assertThat(same.signals).isEmpty();
        assertThat(watcher.loopCount()).as("one shared loop").isOne();

        runUntil(() -> fresh.ended() && behind.ended() && same.ended());
        assertThat(fresh.signals).containsExactly("running", "completed", "complete");
        assertThat(behind.signals).containsExactly("running", "completed", "complete");
        assertThat(same.signals).containsExactly("completed", "complete");
        assertThat(dispatcher.requestsFor(TASK))
                .as("no extra request for the joiners")
                .isEqualTo(3);
    }

    @Test
    void aResumedSubscriberJoiningALoopBehindItSkipsUntilTheLoopCatchesUp() {
        dispatcher.script(TASK, task("pending"), task("running"), completed("install-1"));
        Seen fresh = new Seen();
        fresh.subscribe(watcher.watch(ZONE, TASK), time);
        runUntil(() -> fresh.signals.contains("pending"));

        Seen ahead = new Seen();
        ahead.subscribe(watcher.watch(at("running", null)), time);
        runUntil(() -> fresh.ended() && ahead.ended());

        assertThat(fresh.signals).containsExactly("pending", "running", "completed", "complete");
        assertThat(ahead.signals).containsExactly("completed", "complete");
    }

    @Test
    void aPointAtATerminalStatusCompletesEmptyOnceAPollConfirmsIt() {
        dispatcher.script(TASK, completed("install-1"));
        Seen seen = new Seen();

        seen.subscribe(watcher.watch(at("completed", null)), time);
        runUntil(seen::ended);

        assertThat(seen.signals).containsExactly("complete");
        assertThat(dispatcher.requestsFor(TASK)).isOne();
    }

    @Test
    void onReactorsOwnSchedulerTheDeadlineIsReadOnTheWallClock() {
        // Real time on purpose: Schedulers.parallel() reads now(NANOSECONDS) off System.nanoTime(), not the epoch, and
        // only a real scheduler shows it. Nothing here waits: a past deadline ends the watch at subscription.
        dispatcher.script(TASK, task("running"));
        TaskWatcher real = TaskWatcher.create(client, Tasks.ONE_TWO_TEN);
        long wall = WatchSubscription.wallClockNanos(reactor.core.scheduler.Schedulers.parallel());

        Throwable error = null;
        try {
            real.watch(ResumePoint.start(ZONE, TASK, Instant.now().minusSeconds(60)))
                    .blockLast(TEST_TIMEOUT);
        } catch (WatchTimeoutException e) {
            error = e;
        }

        assertThat(error).isInstanceOf(WatchTimeoutException.class);
        assertThat(dispatcher.requests).isEmpty();
        assertThat(Math.abs(wall / 1_000_000 - System.currentTimeMillis())).isLessThan(10_000);
        assertThat(WatchSubscription.wallClockNanos(time)).isEqualTo(time.now(TimeUnit.NANOSECONDS));
        real.close();
    }
}
