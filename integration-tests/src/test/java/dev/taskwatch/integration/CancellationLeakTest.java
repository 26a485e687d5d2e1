package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.guard.LiveTimers;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.Fault;
import dev.taskwatch.testkit.ScriptedTask;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Cancelling 10,000 watches of tasks that never end, some waiting out a backoff, some with a request in flight, some
 * waiting for a pooled connection, leaves no registry entry, no connection lent out or waited for, and no timer: time
 * runs on a {@link VirtualTimeScheduler}, and moving it a year ahead after the cancel sends nothing.
 */
class CancellationLeakTest {

    private static final int WATCHES = 10_000;
    /** The client's pool: once this many requests stall, no other request can go out. */
    private static final int CONNECTIONS = 64;

    private static final String ZONE = "leak";

    /** Backoff and deadline timers on virtual time: only a disposed timer stays silent when time jumps a year. */
    private static WatchOptions options(Scheduler time) {
        return WatchOptions.defaults()
                .initialDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(10))
                .timeout(Duration.ofHours(1))
                .scheduler(time);
    }

    @Test
    void cancellingMidBackoffAndMidRequestLeavesNoTimerNorLoop() {
        // A source in memory: even tasks answer "running" at once (the watch then waits out a backoff), odd ones
        // never answer (the watch is mid-request).
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        AtomicInteger requests = new AtomicInteger();
        AtomicInteger cancelledRequests = new AtomicInteger();
        CatalogTasksClient source = (zoneId, taskId, requestId) -> Mono.defer(() -> {
            requests.incrementAndGet();
            int i = Integer.parseInt(taskId.substring("task-".length()));
            return i % 2 == 0
                    ? Mono.just(new CatalogTasksClient.Response(Task.of(taskId, TaskStatus.RUNNING, null), null))
                    : Mono.<CatalogTasksClient.Response>never().doOnCancel(cancelledRequests::incrementAndGet);
        });
        LiveTimers timers = new LiveTimers(time);
        TaskWatcher watcher = TaskWatcher.create(source, options(timers));
        AtomicInteger transitions = new AtomicInteger();

        List<Disposable> watches = new ArrayList<>(WATCHES);
        for (int i = 0; i < WATCHES; i++) {
            watches.add(watcher.watch(ZONE, "task-" + i).subscribe(t -> transitions.incrementAndGet()));
        }
        time.advanceTimeBy(Duration.ofMillis(500)); // before the first backoff ends: every watch is mid-wait
        assertThat(requests).hasValue(WATCHES);
        assertThat(transitions).hasValue(WATCHES / 2);
        assertThat(watcher.activeWatches()).hasSize(WATCHES);
        // Every watch has its deadline timer; those mid-wait also have their backoff timer.
        assertThat(timers.pending()).as("timers before the cancel").isEqualTo(WATCHES + WATCHES / 2);

        watches.forEach(Disposable::dispose);

        assertThat(watcher.activeWatches()).as("polling loops").isEmpty();
        assertThat(timers.pending()).as("timers left after the cancel").isZero();
        assertThat(cancelledRequests).as("in-flight requests cancelled").hasValue(WATCHES / 2);
        time.advanceTimeBy(Duration.ofDays(365));
        assertThat(requests).as("requests after the cancel").hasValue(WATCHES);
        assertThat(transitions).hasValue(WATCHES / 2);
    }

    @Test
    void cancellingWatchesOverRealConnectionsLeavesNoConnectionTimerNorLoop() throws InterruptedException {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try (CatalogSimulator sim = CatalogSimulator.builder().recordRequests(0).start();
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        // Real time, so it must not end the stalled requests before the cancel does.
                        .responseTimeout(Duration.ofHours(1))
                        .maxConnections(CONNECTIONS)
                        .build()) {
            // Odd tasks stall their first request forever: they take the pool's connections, and the watches
            // behind them wait for one. Even tasks answer "running" and their watches wait out a backoff.
            for (int i = 0; i < WATCHES; i++) {
                ScriptedTask task = sim.task(ZONE, "task-" + i).running(Duration.ofDays(1));
                if (i % 2 == 1) {
                    task.fault(1, Fault.stallForever());
                }
            }
            AtomicInteger sent = new AtomicInteger();
            AtomicInteger answered = new AtomicInteger();
            CatalogTasksClient counting = (zoneId, taskId, requestId) -> {
                Mono<CatalogTasksClient.Response> exchange = client.exchange(zoneId, taskId, requestId);
                return Mono.defer(() -> {
                    sent.incrementAndGet();
                    return exchange.doOnNext(r -> answered.incrementAndGet());
                });
            };
            LiveTimers timers = new LiveTimers(time);
            TaskWatcher watcher = TaskWatcher.create(counting, options(timers));

            // Even tasks first, so that they all get a connection before the stalls take every one of them.
            List<Disposable> watches = new ArrayList<>(WATCHES);
            for (int parity = 0; parity < 2; parity++) {
                for (int i = parity; i < WATCHES; i += 2) {
                    watches.add(watcher.watch(ZONE, "task-" + i).subscribe());
                }
            }
            // Settled once every connection of the pool holds a stall: no other request can go out, so every other
            // watch has its answer or waits for a connection.
            Await.until(
                    () -> sent.get() == WATCHES && sim.stalledRequests() == CONNECTIONS,
                    Duration.ofSeconds(60),
                    () -> "not settled: sent " + sent + ", stalled " + sim.stalledRequests() + ", answered "
                            + answered);
            int sentBefore = sent.get();
            int waiting = WATCHES - answered.get() - CONNECTIONS;
            System.out.printf(
                    "LEAK before cancel: %d watches, %d in backoff, %d mid-request, %d waiting for a connection%n",
                    WATCHES, answered.get(), CONNECTIONS, waiting);
            assertThat(waiting).as("watches waiting for a connection").isPositive();
            assertThat(watcher.activeWatches()).hasSize(WATCHES);

            watches.forEach(Disposable::dispose);

            assertThat(watcher.activeWatches()).as("polling loops").isEmpty();
            assertThat(timers.pending()).as("timers left after the cancel").isZero();
            // The cancel closed every connection a stall held: the server sees each of them go.
            Await.until(
                    () -> sim.stalledRequests() == 0,
                    Duration.ofSeconds(30),
                    () -> "after the cancel: stalled " + sim.stalledRequests());
            long served = sim.requestCount();
            time.advanceTimeBy(Duration.ofDays(365));
            assertThat(sent).as("requests after the cancel").hasValue(sentBefore);
            assertThat(sim.requestCount())
                    .as("requests the server saw after the cancel")
                    .isEqualTo(served);
            // Nothing is left lent out or waited for: the whole pool can hold requests again at once.
            ConnectionPoolCheck.assertEveryConnectionFree(sim, client, CONNECTIONS);
            System.out.printf(
                    "LEAK after cancel: %d polling loops, %d stalled, all %d connections free, requests after a year of"
                            + " virtual time %d%n",
                    watcher.activeWatches().size(), sim.stalledRequests(), CONNECTIONS, sent.get() - sentBefore);
        }
    }
}
