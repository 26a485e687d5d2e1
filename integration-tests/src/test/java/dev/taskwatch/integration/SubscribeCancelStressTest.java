package dev.taskwatch.integration;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchException;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * Many threads subscribe to and cancel watches of one task at the same moment, round after round, over real HTTP to
 * the simulator (DESIGN §4.10). After every round, once everyone has left: no loop is registered, and a day of
 * virtual time later the simulator has seen no request — no loop outlived its subscribers. Every subscriber that
 * waits gets the task (none joined a loop being torn down), and none receives an error that is not ours.
 *
 * <p>Timers run on a virtual clock that a separate thread moves while the rounds run, so polls fire from another
 * thread in the middle of the subscribing and cancelling too; only the HTTP is real.
 */
class SubscribeCancelStressTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = Integer.getInteger("stress.rounds", 1_500);
    private static final String ZONE = "stress";
    private static final String TASK = "t1";

    @Test
    void concurrentSubscribeAndCancelNeverOrphanALoop() throws Exception {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        try (CatalogSimulator sim = CatalogSimulator.builder().recordRequests(0).start();
                CatalogTasksClient http = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .build()) {
            sim.task(ZONE, TASK).pending(Duration.ofMillis(50)).running(Duration.ofDays(1));
            AtomicInteger sent = new AtomicInteger();
            CatalogTasksClient counting = (zoneId, taskId, requestId) -> {
                Mono<CatalogTasksClient.Response> exchange = http.exchange(zoneId, taskId, requestId);
                return Mono.defer(() -> {
                    sent.incrementAndGet();
                    return exchange;
                });
            };
            TaskWatcher watcher = TaskWatcher.create(
                    counting,
                    WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(100))
                            .maxDelay(Duration.ofMillis(400))
                            .timeout(Duration.ofHours(1))
                            .scheduler(time));
            Queue<Throwable> foreign = new ConcurrentLinkedQueue<>();
            AtomicInteger waited = new AtomicInteger();
            AtomicInteger received = new AtomicInteger();
            CyclicBarrier start = new CyclicBarrier(THREADS + 1);
            CyclicBarrier end = new CyclicBarrier(THREADS + 1);
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                Thread thread =
                        new Thread(() -> subscriber(watcher, start, end, foreign, waited, received), "stress-" + t);
                thread.start();
                threads.add(thread);
            }
            Thread clock = startClock(time);

            int orphanRounds = 0;
            for (int round = 0; round < ROUNDS; round++) {
                start.await(30, TimeUnit.SECONDS);
                end.await(30, TimeUnit.SECONDS);
                // Everyone has left: the last cancel closed the loop before it returned.
                assertThat(watcher.activeWatches())
                        .as("loops after round %d", round)
                        .isEmpty();
                if (round % 100 == 99) {
                    clock.interrupt();
                    clock.join();
                    orphanRounds += quietAfterADay(time, sim, sent) ? 0 : 1;
                    clock = startClock(time);
                }
            }
            clock.interrupt();
            clock.join();
            for (Thread thread : threads) {
                thread.interrupt();
                thread.join(10_000);
            }

            assertThat(foreign).as("errors that are not ours").isEmpty();
            assertThat(orphanRounds)
                    .as("checkpoints with requests after everyone left")
                    .isZero();
            assertThat(quietAfterADay(time, sim, sent)).isTrue();
            assertThat(received).as("every subscriber that waited got the task").hasValue(waited.get());
            System.out.printf(
                    "STRESS %d rounds x %d threads: %d requests, %d subscribers waited for the task, 0 loops left%n",
                    ROUNDS, THREADS, sent.get(), waited.get());
        }
    }

    /** One thread: each round, subscribe and cancel at once, or wait for the first task (then cancel). */
    private static void subscriber(
            TaskWatcher watcher,
            CyclicBarrier start,
            CyclicBarrier end,
            Queue<Throwable> foreign,
            AtomicInteger waited,
            AtomicInteger received) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                start.await();
                ThreadLocalRandom random = ThreadLocalRandom.current();
                CountDownLatch first = new CountDownLatch(1);
                AtomicInteger tasks = new AtomicInteger();
                Disposable watch = watcher.watch(ZONE, TASK)
                        .subscribe(
                                task -> {
                                    tasks.incrementAndGet();
                                    first.countDown();
                                },
                                error -> {
                                    if (!(error instanceof WatchException)) {
                                        foreign.add(error);
                                    }
                                    first.countDown();
                                });
                switch (random.nextInt(3)) {
                    case 0 -> {} // cancel at once
                    case 1 -> Thread.yield();
                    default -> {
                        waited.incrementAndGet();
                        if (first.await(10, TimeUnit.SECONDS) && tasks.get() > 0) {
                            received.incrementAndGet();
                        }
                    }
                }
                watch.dispose();
                end.await();
            }
        } catch (InterruptedException | java.util.concurrent.BrokenBarrierException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Whether, with no subscriber left, a day of virtual time brings no request: requests already on their way are
     * let reach the server first (they were cancelled), then the clock jumps, and any loop still alive would poll —
     * from this thread, at once, so {@code sent} counts it before {@code advanceTimeBy} returns.
     */
    private static boolean quietAfterADay(VirtualTimeScheduler time, CatalogSimulator sim, AtomicInteger sent)
            throws InterruptedException {
        awaitServerIdle(sim);
        int before = sent.get();
        long served = sim.requestCount();
        time.advanceTimeBy(Duration.ofDays(1));
        awaitServerIdle(sim);
        boolean quiet = sent.get() == before && sim.requestCount() == served;
        if (!quiet) {
            System.out.printf(
                    "CHECKPOINT not quiet: sent +%d, served +%d%n", sent.get() - before, sim.requestCount() - served);
        }
        return quiet;
    }

    /**
     * Waits until the server has taken every request already on its way: its count holds still for 50 ms (it answers
     * each at once here; nothing is stalled).
     */
    private static void awaitServerIdle(CatalogSimulator sim) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        long seen = -1;
        while (sim.requestCount() != seen) {
            assertThat(System.nanoTime() - deadline)
                    .as("server still busy after 30 s")
                    .isNegative();
            seen = sim.requestCount();
            Thread.sleep(50);
        }
    }

    /**
     * Moves the virtual clock while the rounds run, about 75 ms each real millisecond: timers fire on this thread,
     * in the middle of other threads' subscribing and cancelling.
     */
    private static Thread startClock(VirtualTimeScheduler time) {
        Thread clock = new Thread(
                () -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            time.advanceTimeBy(Duration.ofMillis(
                                    ThreadLocalRandom.current().nextInt(1, 150)));
                            Thread.sleep(1);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "stress-clock");
        clock.setDaemon(true);
        clock.start();
        return clock;
    }
}
