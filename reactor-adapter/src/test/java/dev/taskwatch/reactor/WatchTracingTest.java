package dev.taskwatch.reactor;

import static dev.taskwatch.reactor.CatalogDispatcher.completed;
import static dev.taskwatch.reactor.CatalogDispatcher.task;
import static dev.taskwatch.reactor.Tasks.TASK;
import static dev.taskwatch.reactor.Tasks.ZONE;
import static dev.taskwatch.reactor.Tasks.apiError;
import static dev.taskwatch.reactor.Tasks.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.guard.LiveTimers;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.contextpropagation.ObservationThreadLocalAccessor;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.locks.LockSupport;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.test.StepVerifier;
import reactor.test.scheduler.VirtualTimeScheduler;
import reactor.util.context.Context;

/**
 * One Micrometer Observation per subscription when {@link WatchOptions#observationRegistry} is set. The test registry
 * also validates the life cycle: a second stop, or an event after the stop, fails the test where it happens.
 */
class WatchTracingTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final TestObservationRegistry registry = TestObservationRegistry.create();
    private final Events events = new Events();

    WatchTracingTest() {
        registry.observationConfig().observationHandler(events);
    }

    @Test
    void oneObservationPerWatchOverRealHttpWithAnEventPerTransition() throws IOException {
        CatalogDispatcher dispatcher = new CatalogDispatcher()
                .script(TASK, task("pending"), task("running"), task("running"), completed("inst-1"));
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(dispatcher);
            server.start();
            try (CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(URI.create(server.url("/").toString()))
                    .build()) {
                VirtualTimeScheduler time = VirtualTimeScheduler.create();
                LiveTimers timers = new LiveTimers(time);
                TaskWatcher watcher = TaskWatcher.create(
                        client, Tasks.ONE_TWO_TEN.observationRegistry(registry).scheduler(timers));
                CountDownLatch ended = new CountDownLatch(1);
                watcher.watch(ZONE, TASK).doFinally(signal -> ended.countDown()).subscribe();
                driveUntil(ended, time, timers);
            }
        }

        TestObservationRegistryAssert.assertThat(registry)
                .hasNumberOfObservationsEqualTo(1)
                .hasSingleObservationThat()
                .hasNameEqualTo("taskwatch.watch")
                .hasContextualNameEqualTo("taskwatch watch")
                .hasBeenStarted()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.operation", "install")
                .hasLowCardinalityKeyValue("taskwatch.outcome", "completed")
                .hasHighCardinalityKeyValue("taskwatch.zone", ZONE)
                .hasHighCardinalityKeyValue("taskwatch.task", TASK)
                .doesNotHaveParentObservation()
                .doesNotHaveError();
        assertThat(events.all()).containsExactly("pending", "running", "completed");
        assertThat(events.names()).containsOnly("taskwatch.transition");
    }

    @Test
    void theCallersObservationFromTheReactorContextIsTheParent() {
        Observation parent = Observation.start("deploy", registry);
        ScriptedClient client = new ScriptedClient(response("pending"), Tasks.redirect("inst-1"));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN)
                        .watch(ZONE, TASK)
                        .contextWrite(Context.of(ObservationThreadLocalAccessor.KEY, parent)))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
        parent.stop();

        TestObservationRegistryAssert.assertThat(registry)
                .hasObservationWithNameEqualTo("taskwatch.watch")
                .that()
                .hasParentObservationEqualTo(parent)
                .hasBeenStopped();
    }

    @Test
    void aFailedTaskEndsTheObservationAsFailedWithoutAnError() {
        ScriptedClient client = new ScriptedClient(response("running"), response("failed"));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN).watch(ZONE, TASK))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "failed")
                .doesNotHaveError();
    }

    @Test
    void awaitCompletedOfAFailedTaskIsObservedAsFailedToo() {
        ScriptedClient client = new ScriptedClient(response("failed"));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN).awaitCompleted(ZONE, TASK))
                .expectError(TaskFailedException.class)
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "failed")
                .doesNotHaveError();
    }

    @Test
    void aResumedWatchIsObservedLikeAnyOther() {
        ScriptedClient client = new ScriptedClient(response("running"), response("failed"));
        ResumePoint afterRunning = ResumePoint.start(ZONE, TASK, null).after(Tasks.task("running"));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN).watch(afterRunning))
                .thenAwait(Duration.ofSeconds(1))
                .expectNextMatches(t -> t.statusValue().equals("failed"))
                .expectComplete()
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "failed")
                .hasHighCardinalityKeyValue("taskwatch.task", TASK);
    }

    @Test
    void aTimeoutEndsTheObservationWithTheTimeoutError() {
        ScriptedClient client = new ScriptedClient(response("pending"));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN.timeout(Duration.ofSeconds(5)))
                        .watch(ZONE, TASK))
                .expectNextCount(1)
                .expectNoEvent(Duration.ofMillis(4999))
                .thenAwait(Duration.ofMillis(1))
                .expectError(WatchTimeoutException.class)
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "timeout")
                .hasLowCardinalityKeyValue("taskwatch.operation", "install")
                .assertThatError()
                .isInstanceOf(WatchTimeoutException.class);
    }

    @Test
    void aFatalAnswerEndsTheObservationWithTheError() {
        ScriptedClient client = new ScriptedClient(apiError(403));

        StepVerifier.withVirtualTime(() -> watcher(client, Tasks.ONE_TWO_TEN).watch(ZONE, TASK))
                .expectError(WatchException.class)
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "error")
                .hasLowCardinalityKeyValue("taskwatch.operation", "unknown")
                .hasError();
        assertThat(events.all()).isEmpty();
    }

    @Test
    void cancellingStopsTheObservationOnceAsCancelled() {
        ScriptedClient client = new ScriptedClient(response("pending"));
        TaskWatcher watcher = watcher(client, Tasks.ONE_TWO_TEN);

        StepVerifier.withVirtualTime(() -> watcher.watch(ZONE, TASK))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(3))
                .thenCancel()
                .verify(WAIT);
        // Closing the watcher after the cancel reaches no subscriber, so nothing can stop the observation again.
        watcher.close();

        TestObservationRegistryAssert.assertThat(registry)
                .hasSingleObservationThat()
                .hasBeenStopped()
                .hasLowCardinalityKeyValue("taskwatch.outcome", "cancelled")
                .doesNotHaveError();
    }

    @Test
    void eachSubscriberOfASharedLoopHasItsOwnObservation() {
        ScriptedClient client = new ScriptedClient(response("pending"), response("running"), Tasks.redirect("i"));
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        TaskWatcher watcher = watcher(client, Tasks.ONE_TWO_TEN.scheduler(time));
        List<String> outcomes = new CopyOnWriteArrayList<>();

        Disposable first = watcher.watch(ZONE, TASK).subscribe();
        Disposable second = watcher.watch(ZONE, TASK).subscribe();
        time.advanceTimeBy(Duration.ofSeconds(1));
        first.dispose();
        time.advanceTimeBy(Duration.ofSeconds(2));
        assertThat(second.isDisposed()).isTrue();
        TestObservationRegistryAssert.assertThat(registry)
                .hasHandledContextsThatSatisfy(contexts -> contexts.forEach(c -> outcomes.add(
                        c.getLowCardinalityKeyValue("taskwatch.outcome").getValue())));

        assertThat(client.calls.get()).isEqualTo(3);
        assertThat(outcomes).containsExactlyInAnyOrder("cancelled", "completed");
    }

    @Test
    void watchingWithoutARegistryCreatesNoObservation() {
        ScriptedClient client = new ScriptedClient(Tasks.redirect("inst-1"));

        StepVerifier.withVirtualTime(
                        () -> TaskWatcher.create(client, Tasks.ONE_TWO_TEN).watch(ZONE, TASK))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);

        TestObservationRegistryAssert.assertThat(registry).doesNotHaveAnyObservation();
        assertThat(Tasks.ONE_TWO_TEN.observationRegistry()).isNull();
        assertThat(Tasks.ONE_TWO_TEN.observationRegistry(registry).observationRegistry())
                .isSameAs(registry);
    }

    @Test
    void aNullRegistryIsRefusedWhenSet() {
        assertThatThrownBy(() -> WatchOptions.defaults().observationRegistry(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("observationRegistry");
    }

    private TaskWatcher watcher(ScriptedClient client, WatchOptions options) {
        return TaskWatcher.create(client, options.observationRegistry(registry));
    }

    /**
     * Runs the virtual clock forward to each pending timer while the watch lives; while a request is in flight (no
     * timer pending) its answer comes over loopback in real time.
     */
    private static void driveUntil(CountDownLatch ended, VirtualTimeScheduler time, LiveTimers timers) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (ended.getCount() > 0) {
            assertThat(System.nanoTime()).as("watch still running").isLessThan(deadline);
            long next = timers.shortestPendingDelayNanos();
            if (next >= 0) {
                time.advanceTimeBy(Duration.ofNanos(next));
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** Records each observation's events: the assertion API of the test registry has none for them. */
    static final class Events implements ObservationHandler<Observation.Context> {

        private final Map<String, String> names = new ConcurrentHashMap<>();
        private final List<String> contextualNames = new CopyOnWriteArrayList<>();

        @Override
        public void onEvent(Observation.Event event, Observation.Context context) {
            names.put(event.getName(), event.getName());
            contextualNames.add(event.getContextualName());
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
            return true;
        }

        List<String> all() {
            return contextualNames;
        }

        List<String> names() {
            return List.copyOf(names.keySet());
        }
    }
}
