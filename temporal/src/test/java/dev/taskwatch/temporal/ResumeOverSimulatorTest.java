package dev.taskwatch.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.guard.LiveTimers;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.reactor.WatchTimeoutException;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A resume across "processes" (two watchers) against the simulator over real HTTP, in virtual time: the watchers'
 * scheduler and the simulator's clock move together, by hand. It is the library half of what the activities rely on.
 */
class ResumeOverSimulatorTest {

    private static final Instant T0 = Instant.parse("2026-12-01T09:00:00Z");
    private final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final LiveTimers timers = new LiveTimers(time);
    private final ManualClock clock = ManualClock.at(T0);
    private final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
    private final CatalogTasksClient client = CatalogTasksClient.builder()
            .baseUrl(sim.baseUrl())
            .credentials(Credentials.none())
            .build();
    private final WatchOptions options = WatchOptions.defaults()
            .initialDelay(Duration.ofSeconds(1))
            .maxDelay(Duration.ofSeconds(4))
            .jitter(0)
            .scheduler(timers);

    ResumeOverSimulatorTest() {
        time.advanceTimeTo(T0);
    }

    @AfterEach
    void close() {
        client.close();
        sim.close();
    }

    /** Moves both clocks to the next timer, waiting in real time only while a request is in flight. */
    private void runUntil(TaskWatcher watcher, BooleanSupplier done) {
        long bound = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("bounded").isLessThan(bound);
            // In this order: once no request is in flight, the loop's next timer is already set (in one critical
            // section with the answer), so the shortest timer is the poll's, not the deadline's.
            boolean inFlight = watcher.activeWatches().stream().anyMatch(w -> w.nextPollIn() == null);
            long next = timers.shortestPendingDelayNanos();
            if (next >= 0 && !inFlight) {
                clock.advance(Duration.ofNanos(next));
                time.advanceTimeBy(Duration.ofNanos(next));
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    @Test
    void aWatchResumedFromItsLastTokenSkipsWhatWasSeenAndKeepsItsDeadline() {
        sim.task("zone-1", "task-1")
                .pending(Duration.ofSeconds(3))
                .running(Duration.ofSeconds(60))
                .completes("i-1");
        Instant deadline = T0.plusSeconds(30);
        ResumePoint start = ResumePoint.start("zone-1", "task-1", deadline);
        List<String> tokens = new CopyOnWriteArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();

        TaskWatcher first = TaskWatcher.create(client, options);
        Disposable crashed = first.watch(start).subscribe(t -> {
            // The token first: the test thread goes on once it sees the status, and must find its token there.
            tokens.add(start.after(t).toToken());
            seen.add(t.statusValue());
        });
        runUntil(first, () -> seen.contains("running"));
        crashed.dispose();
        first.close();

        clock.advance(Duration.ofSeconds(5));
        time.advanceTimeBy(Duration.ofSeconds(5));
        int before = sim.requests("zone-1", "task-1").size();
        TaskWatcher second = TaskWatcher.create(client, options);
        List<Task> resumed = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> error = new AtomicReference<>();
        AtomicLong endedAtMillis = new AtomicLong();
        second.watch(ResumePoint.fromToken(tokens.get(tokens.size() - 1))).subscribe(resumed::add, e -> {
            endedAtMillis.set(time.now(TimeUnit.MILLISECONDS));
            error.set(e);
        });
        runUntil(second, () -> sim.requests("zone-1", "task-1").size() > before);
        assertThat(sim.requests("zone-1", "task-1").get(before).time())
                .as("the first poll after the restart goes out at once")
                .isEqualTo(clock.instant().truncatedTo(ChronoUnit.MILLIS)); // the simulator keeps milliseconds

        runUntil(second, () -> error.get() != null);
        assertThat(seen).containsExactly("pending", "running");
        assertThat(resumed).as("running is not reported twice").isEmpty();
        assertThat(error.get()).isInstanceOf(WatchTimeoutException.class);
        assertThat(endedAtMillis.get()).as("the same deadline").isEqualTo(deadline.toEpochMilli());
        second.close();
    }
}
