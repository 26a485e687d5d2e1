package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.CatalogDispatcher.completed;
import static dev.taskwatch.reactor.CatalogDispatcher.error;
import static dev.taskwatch.reactor.CatalogDispatcher.malformed;
import static dev.taskwatch.reactor.CatalogDispatcher.reset;
import static dev.taskwatch.reactor.CatalogDispatcher.task;
import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.guard.LiveTimers;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;

/** The watcher over real HTTP: the core client on loopback against MockWebServer, with tiny real delays. */
class TaskWatcherHttpTest {

    private static final Duration TEST_TIMEOUT = Duration.ofSeconds(20);
    private static final String TOKEN = "s3cr3t-token-value";

    private final MockWebServer server = new MockWebServer();
    private final CatalogDispatcher dispatcher = new CatalogDispatcher();
    private CatalogTasksClient client;
    private final WatchOptions fast = WatchOptions.defaults()
            .initialDelay(Duration.ofMillis(10))
            .maxDelay(Duration.ofMillis(20))
            .jitter(0);

    @BeforeEach
    void start() throws IOException {
        server.setDispatcher(dispatcher);
        server.start();
        client = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.bearer(TOKEN))
                .build();
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private List<Task> watchToTheEnd(WatchOptions options) {
        List<Task> seen = new CopyOnWriteArrayList<>();
        TaskWatcher.create(client, options)
                .watch(ZONE, TASK)
                .doOnNext(seen::add)
                .blockLast(TEST_TIMEOUT);
        return seen;
    }

    /**
     * Watches {@link Tasks#TASK} to its end on virtual time over real HTTP: whenever the loop waits on its timer (and
     * no request is in flight), virtual time moves exactly to that timer. Timing is then a pure function of the
     * options and the answers, whatever the machine's speed.
     *
     * @return the tasks emitted; throws the watch's error, if it ended with one
     */
    private List<Task> watchOnVirtualTime(WatchOptions options) {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers timers = new LiveTimers(time);
        List<Task> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        CountDownLatch ended = new CountDownLatch(1);
        TaskWatcher.create(client, options.scheduler(timers))
                .watch(ZONE, TASK)
                .subscribe(
                        seen::add,
                        e -> {
                            failure.set(e);
                            ended.countDown();
                        },
                        ended::countDown);
        long deadline = System.nanoTime() + TEST_TIMEOUT.toNanos();
        while (ended.getCount() > 0) {
            assertThat(System.nanoTime()).as("watch still running").isLessThan(deadline);
            long next = timers.shortestPendingDelayNanos();
            if (next >= 0) {
                time.advanceTimeBy(Duration.ofNanos(next));
            } else {
                LockSupport.parkNanos(50_000); // a request is in flight: its answer comes in real time
            }
        }
        if (failure.get() instanceof RuntimeException e) {
            throw e;
        }
        assertThat(failure.get()).isNull();
        return seen;
    }

    private static List<String> statuses(List<Task> tasks) {
        return tasks.stream().map(Task::statusValue).toList();
    }

    @Test
    void pendingRunningThenRedirectGivesExactlyThreeTasks() {
        dispatcher.script(
                TASK, task("pending"), task("pending"), task("running"), task("running"), completed("inst-9"));

        List<Task> seen = watchToTheEnd(fast);

        assertThat(statuses(seen)).containsExactly("pending", "running", "completed");
        Task done = seen.get(2);
        assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
        assertThat(done.installId()).isEqualTo("inst-9");
        assertThat(done.packageSlug()).isEqualTo("my-package");
        assertThat(done.packageVersion()).isEqualByComparingTo(BigDecimal.valueOf(3));
        assertThat(done.createdAt()).isEqualTo(Tasks.CREATED);
        assertThat(dispatcher.requests).hasSize(5);
    }

    @Test
    void everyRequestCarriesAFreshClientRequestIdAndNoRedirectIsFollowed() {
        dispatcher.script(TASK, task("pending"), task("running"), completed("inst-9"));

        watchToTheEnd(fast);

        List<String> ids = dispatcher.requests.stream()
                .map(r -> r.getHeaders().get("X-Client-Request-ID"))
                .toList();
        assertThat(ids).hasSize(3).doesNotHaveDuplicates().allSatisfy(id -> UUID.fromString(id));
        assertThat(dispatcher.requests)
                .extracting(RecordedRequest::getTarget)
                .containsOnly("/zones/zone-1/catalog_tasks/task-1");
    }

    @Test
    void stalePendingAfterRunningIsDropped() {
        dispatcher.script(TASK, task("pending"), task("running"), task("pending"), task("running"), completed("i-1"));

        assertThat(statuses(watchToTheEnd(fast))).containsExactly("pending", "running", "completed");
    }

    @Test
    void transientFaultsInBetweenAreRetriedAndNeverEmitted() {
        dispatcher.script(
                TASK,
                task("pending"),
                error(503, "service_unavailable", "Retry-After", "0"),
                error(429, "rate_limit_exceeded", "retry-after-ms", "5"),
                reset(),
                malformed(),
                error(502, "internal_error"),
                task("running"),
                completed("inst-1"));

        List<Task> seen = watchToTheEnd(fast);

        assertThat(statuses(seen)).containsExactly("pending", "running", "completed");
        assertThat(dispatcher.requests.size()).isGreaterThanOrEqualTo(8);
    }

    @Test
    void unauthorizedIsFatalAfterOneRequestAndTheMessageHoldsNoSecret() {
        dispatcher.script(TASK, error(401, "unauthorized"), task("pending"));

        assertThatThrownBy(() -> watchToTheEnd(fast)).isInstanceOfSatisfying(WatchException.class, e -> {
            assertThat(e.getCause())
                    .isInstanceOfSatisfying(
                            CatalogApiException.class,
                            api -> assertThat(api.httpStatus()).isEqualTo(401));
            assertThat(e.polls()).isEqualTo(1);
            assertThat(e.lastTask()).isNull();
            assertThat(e.isTransient()).isFalse();
            assertThat(e.toString()).doesNotContain(TOKEN);
            assertThat(e.getCause().toString()).doesNotContain(TOKEN);
        });
        assertThat(dispatcher.requests).hasSize(1);
        assertThat(dispatcher.requests.get(0).getHeaders().get("Authorization")).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void tokenEndpointNotFoundEndsTheWatchAtOnceInsteadOfWaitingOutTheGrace() {
        dispatcher.scriptPath("/service-account-token", error(404, "not_found"));
        dispatcher.script(TASK, task("running"));
        WatchOptions patient = fast.notFoundGrace(Duration.ofMinutes(5));

        try (CatalogTasksClient oauth = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.clientCredentials("ci-bot", "cs-" + TOKEN))
                .build()) {
            // Virtual time that never moves: a watch that took this 404 for the task's would wait for its next poll.
            StepVerifier.withVirtualTime(
                            () -> TaskWatcher.create(oauth, patient).watch(ZONE, TASK))
                    .expectSubscription()
                    .expectErrorSatisfies(e -> {
                        assertThat(e).isInstanceOf(WatchException.class).hasMessageContaining("token endpoint");
                        WatchException watch = (WatchException) e;
                        assertThat(watch.polls()).isEqualTo(1);
                        assertThat(watch.isTransient()).isFalse();
                        assertThat(watch.getCause())
                                .isInstanceOf(CatalogException.class)
                                .isNotInstanceOf(CatalogApiException.class)
                                .hasMessageContaining("POST /service-account-token → 404");
                        assertThat(e.toString() + e.getCause()).doesNotContain(TOKEN);
                    })
                    .verify(Duration.ofSeconds(10));
        }
        assertThat(dispatcher.requests)
                .extracting(r -> r.getUrl().encodedPath())
                .containsExactly("/service-account-token");
    }

    @Test
    void notFoundWithinTheGraceIsWaitedOut() {
        dispatcher.script(
                TASK,
                error(404, "not_found"),
                error(404, "not_found"),
                error(404, "not_found"),
                task("pending"),
                completed("inst-1"));

        List<Task> seen = watchOnVirtualTime(fast.notFoundGrace(Duration.ofMillis(100)));

        // The three 404s came at 0, 10 and 22.5 ms of virtual time, well inside the grace.
        assertThat(statuses(seen)).containsExactly("pending", "completed");
        assertThat(dispatcher.requests).hasSize(5);
    }

    @Test
    void notFoundAfterTheGraceIsFatal() {
        dispatcher.script(TASK, task("pending"), error(404, "not_found"));

        // On virtual time, polls go out at 0, 10, 22.5, 38.1, 57.6, 77.6, 97.6 and 117.6 ms (10 ms ×1.25, capped at
        // 20 ms): the 404 at 117.6 ms is the first past the 100 ms grace, which counts from the loop's first poll.
        assertThatThrownBy(() -> watchOnVirtualTime(fast.notFoundGrace(Duration.ofMillis(100))))
                .isInstanceOfSatisfying(WatchException.class, e -> {
                    assertThat(e.getCause())
                            .isInstanceOfSatisfying(
                                    CatalogApiException.class,
                                    api -> assertThat(api.httpStatus()).isEqualTo(404));
                    assertThat(e.lastTask()).isNotNull();
                    assertThat(e.lastTask().statusValue()).isEqualTo("pending");
                    assertThat(e.polls()).isEqualTo(8);
                });
        assertThat(dispatcher.requests).hasSize(8);
    }

    @Test
    void elevenConsecutive503sEndTheWatchWithTheLastFailure() {
        MockResponse[] script = new MockResponse[12];
        script[0] = task("running");
        for (int i = 1; i <= 11; i++) {
            script[i] = error(503, "service_unavailable")
                    .newBuilder()
                    .body("{\"code\":\"service_unavailable\",\"message\":\"busy " + i + "\"}")
                    .build();
        }
        dispatcher.script(TASK, script);

        assertThatThrownBy(() -> watchToTheEnd(fast)).isInstanceOfSatisfying(WatchException.class, e -> {
            assertThat(e.getCause()).hasMessageContaining("busy 11");
            assertThat(e.lastTask()).isNotNull();
            assertThat(e.lastTask().status()).isEqualTo(TaskStatus.RUNNING);
            assertThat(e.polls()).isEqualTo(12);
            assertThat(e.isTransient()).isTrue();
        });
        assertThat(dispatcher.requests).hasSize(12);
    }

    @Test
    void cancellingMidRequestAndMidBackoffSendsNothingMore() throws InterruptedException {
        // The second answer never comes: the watch is mid-request when it is cancelled.
        MockResponse stalled = task("running")
                .newBuilder()
                .onResponseStart(SocketEffect.Stall.INSTANCE)
                .build();
        dispatcher.script(TASK, task("pending"), stalled, task("completed"));
        dispatcher.script("task-3", task("task-3", "pending"), task("task-3", "completed"));
        dispatcher.script("task-4", task("task-4", "running"));
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers timers = new LiveTimers(time);
        // One connection: a request can only go out once the one before gave it back, so a connection the cancel
        // left lent out shows as a request that never reaches the server.
        CatalogTasksClient oneConnection = CatalogTasksClient.builder()
                .baseUrl(URI.create(server.url("/").toString()))
                .credentials(Credentials.bearer(TOKEN))
                .maxConnections(1)
                .build();
        TaskWatcher watcher = TaskWatcher.create(oneConnection, fast.scheduler(timers));

        Disposable midRequest = watcher.watch(ZONE, TASK).subscribe();
        assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
        awaitTimer(timers);
        time.advanceTimeBy(Duration.ofMillis(10)); // the backoff ends: the second request goes out and stalls
        assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
        midRequest.dispose();

        // Reaches the server only if the cancel gave the stalled request's connection up.
        Disposable midBackoff = watcher.watch(ZONE, "task-3").subscribe();
        assertThat(server.takeRequest(10, TimeUnit.SECONDS)).isNotNull();
        awaitTimer(timers);
        midBackoff.dispose(); // within the 10 ms of virtual time before its second poll

        // Nothing is left to send anything: no loop, no timer, no connection lent out, even a year later.
        assertThat(watcher.loopCount()).isZero();
        assertThat(timers.pending()).isZero();
        time.advanceTimeBy(Duration.ofDays(365));
        assertThat(dispatcher.requestsFor(TASK)).isEqualTo(2);
        assertThat(dispatcher.requestsFor("task-3")).isEqualTo(1);
        // The one connection is free again: a request of its own gets through.
        try (oneConnection) {
            assertThat(oneConnection
                            .retrieve(ZONE, "task-4")
                            .block(TEST_TIMEOUT)
                            .status())
                    .as("a request once every watch is gone")
                    .isEqualTo(TaskStatus.RUNNING);
        }
    }

    /** Waits (real time, bounded) until the watch has taken its answer and its backoff timer is queued. */
    private static void awaitTimer(LiveTimers timers) {
        long deadline = System.nanoTime() + TEST_TIMEOUT.toNanos();
        while (timers.shortestPendingDelayNanos() < 0) {
            assertThat(System.nanoTime()).as("no timer set").isLessThan(deadline);
            LockSupport.parkNanos(50_000);
        }
    }

    @Test
    void awaitCompletedFailsWithTaskFailedExceptionOverHttp() {
        String failedBody = "{\"id\":\"task-1\",\"created_at\":\"2026-01-01T00:00:00Z\",\"operation\":\"create\","
                + "\"status\":\"failed\",\"updated_at\":\"2026-01-01T00:00:05Z\",\"error_message\":\"bad manifest\"}";
        dispatcher.script(
                TASK,
                task("running"),
                new MockResponse.Builder()
                        .code(200)
                        .setHeader("Content-Type", "application/json")
                        .body(failedBody)
                        .build());

        assertThatThrownBy(() -> TaskWatcher.create(client, fast)
                        .awaitCompleted(ZONE, TASK)
                        .block(TEST_TIMEOUT))
                .isInstanceOfSatisfying(TaskFailedException.class, e -> {
                    assertThat(e.lastTask().errorMessage()).isEqualTo("bad manifest");
                    assertThat(e).hasMessageContaining("bad manifest");
                });
    }

    @Test
    void doOnRetryHearsOfEachRetriedPollWithItsErrorAttemptAndDelay() {
        dispatcher.script(
                TASK,
                task("pending"),
                error(503, "service_unavailable", "Retry-After", "3"),
                malformed(),
                task("running"),
                completed("inst-1"));
        List<WatchOptions.RetrySignal> signals = new CopyOnWriteArrayList<>();

        List<Task> seen = watchOnVirtualTime(Tasks.ONE_TWO_TEN.doOnRetry(signals::add));

        assertThat(statuses(seen)).containsExactly("pending", "running", "completed");
        assertThat(signals).hasSize(2);
        WatchOptions.RetrySignal first = signals.get(0);
        assertThat(first.zoneId()).isEqualTo(ZONE);
        assertThat(first.taskId()).isEqualTo(TASK);
        assertThat(first.error())
                .isInstanceOfSatisfying(
                        CatalogApiException.class,
                        api -> assertThat(api.httpStatus()).isEqualTo(503));
        assertThat(first.attempt()).isEqualTo(1);
        assertThat(first.delay()).as("the server's hint").isEqualTo(Duration.ofSeconds(3));
        WatchOptions.RetrySignal second = signals.get(1);
        assertThat(second.error().isTransient()).isTrue();
        assertThat(second.error()).hasMessageContaining("invalid Task");
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.delay()).as("the third step of 1, 2, 4 s").isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void doOnRetryIsNotToldOfTheFailureThatEndsTheWatch() {
        dispatcher.script(TASK, task("pending"), error(503, "service_unavailable"), error(502, "bad_gateway"));
        List<WatchOptions.RetrySignal> signals = new CopyOnWriteArrayList<>();

        assertThatThrownBy(() -> watchOnVirtualTime(
                        Tasks.ONE_TWO_TEN.maxConsecutiveErrors(1).doOnRetry(signals::add)))
                .isInstanceOfSatisfying(
                        WatchException.class,
                        e -> assertThat(((CatalogApiException) e.getCause()).httpStatus())
                                .isEqualTo(502));

        assertThat(signals).singleElement().satisfies(r -> {
            assertThat(((CatalogApiException) r.error()).httpStatus()).isEqualTo(503);
            assertThat(r.attempt()).isEqualTo(1);
        });
    }

    @Test
    void doOnRetryCountsNotFoundWithinTheGraceAndStartsAgainAfterAnAnswer() {
        dispatcher.script(
                TASK,
                error(404, "not_found"),
                error(404, "not_found"),
                task("pending"),
                error(503, "service_unavailable"),
                completed("inst-1"));
        List<Integer> attempts = new CopyOnWriteArrayList<>();

        watchOnVirtualTime(Tasks.ONE_TWO_TEN.doOnRetry(r -> attempts.add(r.attempt())));

        assertThat(attempts).containsExactly(1, 2, 1);
    }

    @Test
    void aThrowingDoOnRetryListenerNeitherBreaksTheWatchNorSilencesTheNextListener() {
        dispatcher.script(
                TASK,
                task("pending"),
                error(503, "service_unavailable"),
                error(429, "rate_limit_exceeded"),
                completed("inst-1"));
        List<Integer> heard = new CopyOnWriteArrayList<>();
        WatchOptions options = Tasks.ONE_TWO_TEN
                .doOnRetry(r -> {
                    throw new IllegalStateException("listener bug");
                })
                .doOnRetry(r -> heard.add(r.attempt()));

        List<Task> seen = watchOnVirtualTime(options);

        assertThat(statuses(seen)).containsExactly("pending", "completed");
        assertThat(heard).containsExactly(1, 2);
        assertThat(dispatcher.requests).hasSize(4);
    }
}
