package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.redirect;
import static dev.taskwatch.reactor.Tasks.response;
import static dev.taskwatch.reactor.Tasks.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.guard.LiveTimers;
import dev.taskwatch.core.internal.TaskRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.test.util.RaceTestUtils;

/** DESIGN.md §4, line by line, on virtual time against a scripted source. */
class TaskWatcherTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static final WatchOptions NO_JITTER = Tasks.ONE_TWO_TEN;

    private static Task status(String s) {
        return task(s);
    }

    // §4.1 ---------------------------------------------------------------------------------------------------------

    @Test
    void nothingIsSentBeforeSubscriptionAndTheFirstPollGoesOutAtSubscription() {
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);

        var flux = watcher.watch(ZONE, TASK);
        assertThat(client.calls).hasValue(0);

        StepVerifier.withVirtualTime(() -> flux)
                .expectSubscription()
                .expectNext(status("pending"))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "zone 1", "zone%2F"})
    void invalidIdFailsAtCallBeforeAnyIo(String bad) {
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client);

        assertThatThrownBy(() -> watcher.watch(bad, TASK))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zoneId");
        assertThatThrownBy(() -> watcher.watch(ZONE, bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskId");
        assertThatThrownBy(() -> watcher.awaitCompleted(ZONE, "x".repeat(129)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.calls).hasValue(0);
    }

    // §4.2 ---------------------------------------------------------------------------------------------------------

    @Test
    void emitsOnlyStatusChanges() {
        ScriptedClient client = new ScriptedClient(
                response("pending"),
                response("pending"),
                response("running"),
                response("running"),
                response("running"),
                response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(status("running"), status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(6);
    }

    @Test
    void staleReadNeverMovesTheTaskBackwards() {
        ScriptedClient client = new ScriptedClient(
                response("pending"),
                response("running"),
                response("pending"),
                response("running"),
                response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .thenAwait(Duration.ofMinutes(1))
                .expectNext(status("pending"), status("running"), status("completed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void unknownStatusRanksWithRunningAndIsEmittedOncePerRawValue() {
        ScriptedClient client = new ScriptedClient(
                response("running"),
                response("validating"),
                response("running"),
                response("validating"),
                response("pending"),
                response("publishing"),
                response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .thenAwait(Duration.ofMinutes(2))
                .assertNext(t -> assertThat(t.statusValue()).isEqualTo("running"))
                .assertNext(t -> {
                    assertThat(t.statusValue()).isEqualTo("validating");
                    assertThat(t.status()).isEqualTo(TaskStatus.UNKNOWN);
                })
                .assertNext(t -> assertThat(t.statusValue()).isEqualTo("publishing"))
                .assertNext(t -> assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED))
                .expectComplete()
                .verify(WAIT);
    }

    // §4.3 ---------------------------------------------------------------------------------------------------------

    @Test
    void completesRightAfterTerminalStatusAndSendsNothingMore() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("completed"), response("running"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void failedTaskIsDataNotAnError() {
        Task failed = Tasks.failed("package not found", 1);
        ScriptedClient client = new ScriptedClient(response("running"), failed, response("running"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("running"))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(failed)
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void completedFromRedirectCarriesTheFieldsLastSeenAndTheInstallId() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"), redirect("inst-9"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(10))
                .expectNextCount(2)
                .assertNext(done -> {
                    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
                    assertThat(done.installId()).isEqualTo("inst-9");
                    assertThat(done.createdAt()).isEqualTo(Tasks.CREATED);
                    assertThat(done.operationValue()).isEqualTo("create");
                    assertThat(done.packageSlug()).isEqualTo("my-package");
                    assertThat(done.packageId()).isEqualTo("pkg-1");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void completedInA200IsTerminalToo() {
        ScriptedClient client = new ScriptedClient(response("completed"), response("running"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client).watch(ZONE, TASK))
                .expectNext(status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(1);
    }

    // §4.4 ---------------------------------------------------------------------------------------------------------

    @Test
    void delaysGrowExponentiallyUpToMaxDelay() {
        ScriptedClient client = new ScriptedClient(response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .expectNoEvent(Duration.ofSeconds(35))
                .thenCancel()
                .verify(WAIT);
        // delays 1, 2, 4, 8, 10 (capped), 10
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L, 15L, 25L, 35L);
    }

    @Test
    void delayKeepsGrowingAcrossATransition() {
        ScriptedClient client =
                new ScriptedClient(response("pending"), response("pending"), response("pending"), response("running"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofSeconds(7))
                .expectNext(status("running"))
                .expectNoEvent(Duration.ofSeconds(28))
                .thenCancel()
                .verify(WAIT);
        // running seen at 7 s: the delays go on 8, 10, 10 s instead of starting over at 1 s
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L, 15L, 25L, 35L);
    }

    @Test
    void nextPollIsScheduledAfterThePreviousResponseArrives() {
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        Mono<Object> slow = Mono.defer(() -> {
            maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            return Mono.delay(Duration.ofSeconds(5))
                    .thenReturn((Object) response("pending"))
                    .doFinally(s -> inFlight.decrementAndGet());
        });
        ScriptedClient client = new ScriptedClient(slow);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(5))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofSeconds(20))
                .thenCancel()
                .verify(WAIT);
        // responses at 5, 11, 18: each next request 1, 2, 4 s after the previous response, never overlapping
        assertThat(client.callSeconds()).containsExactly(0L, 6L, 13L, 22L);
        assertThat(maxInFlight).hasValue(1);
    }

    @Test
    void jitterSpreadsDelaysWithinBoundsAndNeverAboveMaxDelay() {
        ScriptedClient client = new ScriptedClient(response("pending"));
        WatchOptions options = NO_JITTER.jitter(0.5);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofMinutes(30))
                .thenCancel()
                .verify(WAIT);

        List<Long> calls = new ArrayList<>(client.callNanos);
        assertThat(calls).hasSizeGreaterThan(100);
        List<Double> gaps = new ArrayList<>();
        for (int n = 0; n + 1 < calls.size(); n++) {
            double gap = (calls.get(n + 1) - calls.get(n)) / 1e9;
            double base = Math.min(10, Math.pow(2, n));
            assertThat(gap).as("delay %d", n).isBetween(base * 0.5, Math.min(10, base * 1.5));
            gaps.add(gap);
        }
        // spread, not a fixed schedule; at the cap the upper half is clipped to exactly maxDelay
        assertThat(gaps.stream().distinct().count()).isGreaterThan(gaps.size() / 4);
        assertThat(gaps.subList(10, gaps.size())).anyMatch(g -> g < 9.0).contains(10.0);
    }

    // §4.5 ---------------------------------------------------------------------------------------------------------

    @Test
    void retryAfterHintReplacesTheComputedDelay() {
        ScriptedClient client = new ScriptedClient(response("pending", Duration.ofSeconds(7)), response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .expectNoEvent(Duration.ofSeconds(9))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L, 7L, 9L);
    }

    @Test
    void hintAboveMaxDelayIsHonoured() {
        ScriptedClient client = new ScriptedClient(response("pending", Duration.ofSeconds(45)), response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .expectNoEvent(Duration.ofSeconds(50))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.callSeconds()).startsWith(0L, 45L, 47L);
    }

    @Test
    void hintOnAnErrorReplacesTheComputedDelay() {
        ScriptedClient client = new ScriptedClient(apiError(429, Duration.ofSeconds(5)), response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(5))
                .expectNext(status("pending"))
                .thenCancel()
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L, 5L);
    }

    @Test
    void hintPastTheDeadlineEndsTheWatchAtOnce() {
        ScriptedClient client = new ScriptedClient(response("pending", Duration.ofSeconds(3600)));
        WatchOptions options = NO_JITTER.timeout(Duration.ofSeconds(10));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(WatchTimeoutException.class);
                    WatchTimeoutException timeout = (WatchTimeoutException) e;
                    assertThat(timeout.lastTask()).isEqualTo(status("pending"));
                    assertThat(timeout.elapsed()).isZero();
                    assertThat(timeout.timeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(timeout.polls()).isEqualTo(1);
                    assertThat(timeout).hasMessageContaining("PT1H");
                })
                .verify(WAIT);
        assertThat(client.calls).hasValue(1);
    }

    @Test
    void errorHintPastTheDeadlineEndsTheWatchAtOnceWithTheFailureAsCause() {
        CatalogApiException busy = apiError(503, Duration.ofSeconds(3600));
        ScriptedClient client = new ScriptedClient(response("running"), busy);
        WatchOptions options = NO_JITTER.timeout(Duration.ofSeconds(10));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectNext(status("running"))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(WatchTimeoutException.class).hasCause(busy);
                    assertThat(((WatchException) e).lastTask()).isEqualTo(status("running"));
                })
                .verify(WAIT);
    }

    // §4.6 ---------------------------------------------------------------------------------------------------------

    @Test
    void transientFailuresAreRetriedAndNeverEmitted() {
        ScriptedClient client = new ScriptedClient(
                response("pending"),
                apiError(503),
                new CatalogTransportException("GET … failed: connection reset", null, true),
                new CatalogProtocolException("GET … → 200 with an invalid Task", null, true),
                apiError(429),
                apiError(500),
                apiError(502),
                apiError(504),
                apiError(408),
                response("running"),
                response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .thenAwait(Duration.ofMinutes(5))
                .expectNext(status("pending"), status("running"), status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(11);
        // retried on the same schedule: 1, 2, 4, 8, 10, ...
        assertThat(client.callSeconds()).startsWith(0L, 1L, 3L, 7L, 15L, 25L);
    }

    @Test
    void anExchangeThatEndsWithoutAResponseIsRetried() {
        ScriptedClient client = new ScriptedClient(Mono.empty(), response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectSubscription()
                .expectNoEvent(Duration.ofMillis(999))
                .thenAwait(Duration.ofMillis(1))
                .expectNext(status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void anExchangeThatEndsWithoutAResponseNamesTheRequestUnderTheClientsBasePath() {
        class UnderV1 implements CatalogTasksClient, TaskRequests.Prefixed {
            @Override
            public Mono<CatalogTasksClient.Response> exchange(String zoneId, String taskId, String clientRequestId) {
                return Mono.empty();
            }

            @Override
            public String pathPrefix() {
                return "/v1";
            }
        }

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(new UnderV1(), NO_JITTER.maxConsecutiveErrors(0))
                        .watch(ZONE, TASK))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(WatchException.class)
                        .cause()
                        .isInstanceOf(CatalogTransportException.class)
                        .hasMessage("GET /v1/zones/" + ZONE + "/catalog_tasks/" + TASK + " ended without a response"))
                .verify(WAIT);
    }

    @Test
    void tooManyConsecutiveFailuresEndTheWatchWithTheLastFailure() {
        List<Object> script = new ArrayList<>();
        script.add(response("pending"));
        List<CatalogApiException> failures = IntStream.rangeClosed(1, 11)
                .mapToObj(i -> new CatalogApiException("GET /x", 503, null, "busy " + i, List.of(), null, null))
                .toList();
        script.addAll(failures);
        script.add(response("running"));
        ScriptedClient client = new ScriptedClient(script.toArray());

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofMinutes(5))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(WatchException.class).hasCause(failures.get(10));
                    WatchException watch = (WatchException) e;
                    assertThat(watch.lastTask()).isEqualTo(status("pending"));
                    assertThat(watch.polls()).isEqualTo(12);
                    assertThat(watch.isTransient()).isTrue();
                    assertThat(watch).hasMessageContaining("busy 11");
                })
                .verify(WAIT);
        assertThat(client.calls).hasValue(12);
    }

    @Test
    void aSuccessResetsTheConsecutiveFailureCount() {
        ScriptedClient client = new ScriptedClient(
                apiError(503),
                apiError(503),
                response("pending"),
                apiError(503),
                apiError(503),
                response("pending"),
                apiError(503),
                apiError(503),
                response("completed"));
        WatchOptions options = NO_JITTER.maxConsecutiveErrors(2);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .thenAwait(Duration.ofMinutes(5))
                .expectNext(status("pending"), status("completed"))
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void zeroConsecutiveErrorsEndsOnTheFirstFailure() {
        ScriptedClient client = new ScriptedClient(apiError(503), response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER.maxConsecutiveErrors(0))
                        .watch(ZONE, TASK))
                .expectErrorSatisfies(e ->
                        assertThat(e).isInstanceOf(WatchException.class).hasCauseInstanceOf(CatalogApiException.class))
                .verify(WAIT);
        assertThat(client.calls).hasValue(1);
    }

    // §4.7 ---------------------------------------------------------------------------------------------------------

    @Test
    void http404WithinGraceIsRetriedWithoutSpendingTheErrorBudget() {
        ScriptedClient client = new ScriptedClient(
                apiError(404),
                apiError(404),
                apiError(404),
                apiError(404),
                apiError(404),
                response("pending"),
                response("completed"));
        WatchOptions options = NO_JITTER.maxConsecutiveErrors(1);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(25))
                .expectNext(status("pending"))
                .expectNoEvent(Duration.ofSeconds(9))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(status("completed"))
                .expectComplete()
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L, 15L, 25L, 35L);
    }

    @Test
    void http404AfterGraceIsFatal() {
        CatalogApiException notFound = apiError(404);
        ScriptedClient client = new ScriptedClient(notFound);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectSubscription()
                .expectNoEvent(Duration.ofSeconds(34))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(WatchException.class).hasCause(notFound);
                    assertThat(((WatchException) e).lastTask()).isNull();
                    assertThat(((WatchException) e).polls()).isEqualTo(7);
                })
                .verify(WAIT);
        // 404s at 0..25 s are within the 30 s grace; the one at 35 s is not
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L, 15L, 25L, 35L);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 409, 410, 418, 422})
    void clientErrorsAreFatalAtOnce(int httpStatus) {
        CatalogApiException error = apiError(httpStatus);
        ScriptedClient client = new ScriptedClient(response("running"), error, response("completed"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("running"))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isExactlyInstanceOf(WatchException.class).hasCause(error);
                    assertThat(((WatchException) e).lastTask()).isEqualTo(status("running"));
                    assertThat(((WatchException) e).isTransient()).isFalse();
                })
                .verify(WAIT);
        assertThat(client.calls).hasValue(2);
    }

    @Test
    void taskForAnotherIdIsFatalAtOnce() {
        CatalogProtocolException wrongId = new CatalogProtocolException("… a Task for another id", null, false);
        ScriptedClient client = new ScriptedClient(wrongId, response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client).watch(ZONE, TASK))
                .expectErrorSatisfies(
                        e -> assertThat(e).isInstanceOf(WatchException.class).hasCause(wrongId))
                .verify(WAIT);
        assertThat(client.calls).hasValue(1);
    }

    @Test
    void unexpectedExceptionFromTheClientIsWrappedAndFatal() {
        ScriptedClient client = new ScriptedClient(new IllegalStateException("boom"), response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client).watch(ZONE, TASK))
                .expectErrorSatisfies(e -> assertThat(e)
                        .isInstanceOf(WatchException.class)
                        .hasCauseInstanceOf(IllegalStateException.class))
                .verify(WAIT);
        assertThat(client.calls).hasValue(1);
    }

    // §4.8 ---------------------------------------------------------------------------------------------------------

    @Test
    void timeoutEndsTheWatchWithTheLastTaskElapsedTimeAndPolls() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"));
        WatchOptions options = NO_JITTER.timeout(Duration.ofSeconds(10));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(status("running"))
                .expectNoEvent(Duration.ofMillis(8_999))
                .thenAwait(Duration.ofMillis(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(WatchTimeoutException.class);
                    WatchTimeoutException timeout = (WatchTimeoutException) e;
                    assertThat(timeout.lastTask()).isEqualTo(status("running"));
                    assertThat(timeout.elapsed()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(timeout.timeout()).isEqualTo(Duration.ofSeconds(10));
                    assertThat(timeout.polls()).isEqualTo(4); // 0, 1, 3, 7 s; the next would be at 15 s
                    assertThat(timeout.isTransient()).isTrue();
                })
                .verify(WAIT);
        assertThat(client.callSeconds()).containsExactly(0L, 1L, 3L, 7L);
    }

    @Test
    void timeoutCancelsARequestInFlight() {
        ScriptedClient client = new ScriptedClient(Mono.never());
        WatchOptions options = NO_JITTER.timeout(Duration.ofSeconds(10));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .expectSubscription()
                .thenAwait(Duration.ofSeconds(10))
                .expectErrorSatisfies(
                        e -> assertThat(((WatchTimeoutException) e).lastTask()).isNull())
                .verify(WAIT);
        assertThat(client.cancellations).hasValue(1);
    }

    // §4.9 ---------------------------------------------------------------------------------------------------------

    @Test
    void cancellingMidBackoffDisposesTheTimer() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
        List<Task> seen = new ArrayList<>();

        Disposable watch = watcher.watch(ZONE, TASK).subscribe(seen::add);
        time.advanceTimeBy(Duration.ofMillis(500));
        watch.dispose();
        time.advanceTimeBy(Duration.ofHours(1));

        assertThat(seen).containsExactly(status("pending"));
        assertThat(client.calls).hasValue(1);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void cancellingMidRequestCancelsTheExchange() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"), Mono.never());
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));

        Disposable watch = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(client.subscriptions).hasValue(2);
        assertThat(client.cancellations).hasValue(0);

        watch.dispose();
        time.advanceTimeBy(Duration.ofHours(1));

        assertThat(client.cancellations).hasValue(1);
        assertThat(client.calls).hasValue(2);
        assertThat(watcher.loopCount()).isZero();
    }

    // §4.11 --------------------------------------------------------------------------------------------------------

    @Test
    void timersRunOnTheOptionsScheduler() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));

        Disposable watch = watcher.watch(ZONE, TASK).subscribe();
        assertThat(client.calls).hasValue(1);
        time.advanceTimeBy(Duration.ofMillis(999));
        assertThat(client.calls).hasValue(1);
        time.advanceTimeBy(Duration.ofMillis(1));
        assertThat(client.calls).hasValue(2); // fired synchronously by the virtual clock, not by a real timer
        watch.dispose();
    }

    // §4.12 --------------------------------------------------------------------------------------------------------

    @Test
    void everyPollSendsAFreshRandomUuidAsClientRequestId() {
        ScriptedClient client = new ScriptedClient(response("pending"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).watch(ZONE, TASK))
                .expectNext(status("pending"))
                .thenAwait(Duration.ofSeconds(60))
                .thenCancel()
                .verify(WAIT);

        List<String> ids = client.requestIds.stream().map(String::valueOf).toList();
        assertThat(ids).hasSizeGreaterThan(5).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> {
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(uuid.toString()).isEqualTo(id);
        });
    }

    @Test
    void suppliedClientRequestIdsAreUsed() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"), response("completed"));
        AtomicInteger n = new AtomicInteger();
        WatchOptions options = NO_JITTER.clientRequestIds(() -> "deploy-42-" + n.incrementAndGet());

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, options).watch(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(5))
                .expectNextCount(3)
                .expectComplete()
                .verify(WAIT);
        assertThat(client.requestIds).containsExactly("deploy-42-1", "deploy-42-2", "deploy-42-3");
    }

    // await* -------------------------------------------------------------------------------------------------------

    @Test
    void awaitCompletedGivesTheCompletedTask() {
        ScriptedClient client = new ScriptedClient(response("pending"), redirect("inst-1"));

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).awaitCompleted(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(t -> {
                    assertThat(t.status()).isEqualTo(TaskStatus.COMPLETED);
                    assertThat(t.installId()).isEqualTo("inst-1");
                    assertThat(t.packageSlug()).isEqualTo("my-package");
                })
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void awaitCompletedErrorsWithTaskFailedExceptionOnFailure() {
        Task failed = Tasks.failed("quota exceeded", 2);
        ScriptedClient client = new ScriptedClient(response("running"), failed);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).awaitCompleted(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(1))
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TaskFailedException.class);
                    TaskFailedException taskFailed = (TaskFailedException) e;
                    assertThat(taskFailed.lastTask()).isEqualTo(failed);
                    assertThat(taskFailed.lastTask()).isEqualTo(failed);
                    assertThat(taskFailed.polls()).isEqualTo(2);
                    assertThat(taskFailed)
                            .hasMessageContaining("quota exceeded")
                            .hasMessageContaining("2 warnings");
                })
                .verify(WAIT);
    }

    @Test
    void awaitTerminalGivesTheFailedTask() {
        Task failed = Tasks.failed("quota exceeded", 0);
        ScriptedClient client = new ScriptedClient(response("pending"), failed);

        StepVerifier.withVirtualTime(() -> TaskWatcher.create(client, NO_JITTER).awaitTerminal(ZONE, TASK))
                .thenAwait(Duration.ofSeconds(1))
                .expectNext(failed)
                .expectComplete()
                .verify(WAIT);
    }

    @Test
    void awaitTerminalErrorsAsWatchDoes() {
        ScriptedClient client = new ScriptedClient(apiError(401));

        StepVerifier.create(TaskWatcher.create(client).awaitTerminal(ZONE, TASK))
                .expectError(WatchException.class)
                .verify(Duration.ofSeconds(5));
    }

    // close --------------------------------------------------------------------------------------------------------

    @Test
    void closeEndsEveryWatchWithTheLastTaskSeenAndLeavesNoTimer() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        LiveTimers clock = new LiveTimers(time);
        ScriptedClient client = new ScriptedClient(response("running"));
        TaskWatcher watcher = TaskWatcher.create(
                client, NO_JITTER.timeout(Duration.ofHours(1)).scheduler(clock));
        List<Task> seen = new CopyOnWriteArrayList<>();
        AtomicReference<Throwable> watchError = new AtomicReference<>();
        AtomicReference<Throwable> awaitError = new AtomicReference<>();

        watcher.watch(ZONE, TASK).subscribe(seen::add, watchError::set);
        watcher.awaitCompleted(ZONE, TASK).subscribe(t -> {}, awaitError::set);
        time.advanceTimeBy(Duration.ofMillis(500)); // mid-backoff, two deadlines armed
        watcher.close();

        assertThat(seen).containsExactly(status("running"));
        for (Throwable e : List.of(watchError.get(), awaitError.get())) {
            assertThat(e).isExactlyInstanceOf(WatchException.class).hasMessageContaining("the watcher was closed");
            WatchException closed = (WatchException) e;
            assertThat(closed.lastTask()).isEqualTo(status("running"));
            assertThat(closed.polls()).isEqualTo(1);
            assertThat(closed.isTransient()).isFalse();
        }
        assertThat(clock.pending()).as("backoff and deadline timers").isZero();
        assertThat(watcher.loopCount()).isZero();
        time.advanceTimeBy(Duration.ofDays(1));
        assertThat(client.calls).hasValue(1);
    }

    @Test
    void closeCancelsARequestInFlight() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        ScriptedClient client = new ScriptedClient(response("pending"), Mono.never());
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
        AtomicReference<Throwable> error = new AtomicReference<>();

        watcher.watch(ZONE, TASK).subscribe(t -> {}, error::set);
        time.advanceTimeBy(Duration.ofSeconds(1));
        assertThat(client.subscriptions).hasValue(2);
        watcher.close();

        assertThat(client.cancellations).hasValue(1);
        assertThat(error.get()).isInstanceOf(WatchException.class);
        assertThat(watcher.loopCount()).isZero();
    }

    @Test
    void watchAfterCloseEndsAtOnceWithoutARequest() {
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER);
        watcher.close();
        watcher.close(); // idempotent

        StepVerifier.create(watcher.watch(ZONE, TASK))
                .expectErrorSatisfies(e -> {
                    assertThat(e)
                            .isExactlyInstanceOf(WatchException.class)
                            .hasMessage("watch of task task-1 in zone zone-1 not started: the watcher is closed");
                    assertThat(((WatchException) e).lastTask()).isNull();
                })
                .verify(Duration.ofSeconds(5));
        StepVerifier.create(watcher.awaitCompleted(ZONE, TASK))
                .expectError(WatchException.class)
                .verify(Duration.ofSeconds(5));
        assertThat(client.calls).hasValue(0);
        assertThat(watcher.loopCount()).isZero();
        assertThat(watcher.toString()).endsWith(", closed}");
    }

    @Test
    void closeRacingNewWatchesLeavesNoLoopAndEveryRequestCancelled() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        for (int round = 0; round < 2_000; round++) {
            ScriptedClient client = new ScriptedClient(Mono.never());
            TaskWatcher watcher = TaskWatcher.create(client, NO_JITTER.scheduler(time));
            AtomicReference<Throwable> first = new AtomicReference<>();
            AtomicReference<Throwable> second = new AtomicReference<>();

            RaceTestUtils.race(
                    () -> watcher.watch(ZONE, TASK).subscribe(t -> {}, first::set),
                    () -> watcher.watch(ZONE, TASK).subscribe(t -> {}, second::set),
                    watcher::close);

            assertThat(first.get()).as("round %d", round).isInstanceOf(WatchException.class);
            assertThat(second.get()).as("round %d", round).isInstanceOf(WatchException.class);
            assertThat(watcher.loopCount()).as("round %d", round).isZero();
            assertThat(client.cancellations.get())
                    .as("round %d: every request sent is cancelled", round)
                    .isEqualTo(client.subscriptions.get());
        }
    }
}
