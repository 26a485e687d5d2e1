package dev.taskwatch.temporal;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.testing.Await;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.ManualClock;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Schedulers;

/**
 * One test's world: Temporal's in-process test service, a simulator on a {@link ManualClock} (the tasks move only
 * when a test says so), and "processes" — a worker factory with its own client, watcher and activities, which a test
 * can kill.
 *
 * <p>Real time, bounded: Temporal's worker, its heartbeat throttling and the test service's activity timers run on
 * the wall clock, so the watcher polls on Reactor's parallel scheduler with short delays and every wait here is
 * bounded by {@link #BOUND}. Time skipping is off: it would move the service's clock past heartbeat timeouts while an
 * activity waits on real HTTP.
 */
final class Harness implements AutoCloseable {

    static final String QUEUE = "taskwatch-test";
    static final String ZONE = "zone-1";
    static final Duration BOUND = Duration.ofSeconds(30);

    final ManualClock clock = ManualClock.at(Instant.parse("2026-12-01T09:00:00Z"));
    final CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start();
    final TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    final List<Process> processes = new ArrayList<>();
    final List<WorkerFactory> workflowWorkers = new ArrayList<>();

    /**
     * Starts the workflow worker: a process of its own, never killed, so that a killed activity worker takes no
     * workflow task down with it.
     */
    void startWorkflows(ActivityOptions awaitOptions) {
        WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
        Worker worker = factory.newWorker(QUEUE);
        worker.registerWorkflowImplementationFactory(
                AwaitOneWorkflow.class, () -> new AwaitOneWorkflow.Impl(awaitOptions));
        worker.registerWorkflowImplementationFactory(
                InstallPackagesWorkflow.class, () -> new InstallPackagesWorkflowImpl(awaitOptions, installOptions()));
        factory.start();
        workflowWorkers.add(factory);
    }

    /** An activity worker process: its factory, client, watcher and activities, and what its waits reported. */
    final class Process implements AutoCloseable {
        final WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
        final CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(Credentials.none())
                .build();
        final TaskWatcher watcher;
        final CatalogTaskActivitiesImpl activities;
        final List<CatalogTaskActivitiesImpl.Transition> transitions = new CopyOnWriteArrayList<>();

        Process(WatchOptions options, Object... moreActivities) {
            watcher = TaskWatcher.create(client, options);
            activities = new CatalogTaskActivitiesImpl(watcher, Schedulers.boundedElastic(), transitions::add);
            Worker worker = factory.newWorker(QUEUE);
            worker.registerActivitiesImplementations(activities);
            if (moreActivities.length > 0) {
                worker.registerActivitiesImplementations(moreActivities);
            }
            factory.start();
        }

        /** As a crash: the worker stops, the waits stop, nothing is reported to Temporal. */
        void kill() {
            factory.shutdownNow();
            activities.close();
            watcher.close();
            client.close();
        }

        @Override
        public void close() {
            kill();
        }
    }

    /** Starts the workflow worker and an activity worker process. */
    Process process(WatchOptions options, ActivityOptions awaitOptions, Object... moreActivities) {
        if (workflowWorkers.isEmpty()) {
            startWorkflows(awaitOptions);
        }
        Process p = new Process(options, moreActivities);
        processes.add(p);
        return p;
    }

    static WatchOptions fastPolls() {
        return WatchOptions.defaults()
                .initialDelay(Duration.ofMillis(20))
                .maxDelay(Duration.ofMillis(200))
                .jitter(0);
    }

    static ActivityOptions installOptions() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** The activity's last heartbeat as a resume point, and its attempt; empty while it has none. */
    Optional<Heartbeat> heartbeat(String workflowId) {
        var response = env.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(env.getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                        .build());
        if (response.getPendingActivitiesCount() == 0) {
            return Optional.empty();
        }
        PendingActivityInfo activity = response.getPendingActivities(0);
        if (!activity.hasHeartbeatDetails()) {
            return Optional.empty();
        }
        Payloads details = activity.getHeartbeatDetails();
        String token = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                0, Optional.of(details), String.class, String.class);
        return Optional.of(new Heartbeat(ResumePoint.fromToken(token), activity.getAttempt()));
    }

    record Heartbeat(ResumePoint point, int attempt) {}

    /** Waits (bounded) until {@code done}; fails the test with {@code what} otherwise. */
    static void await(String what, BooleanSupplier done) {
        Await.until(done, BOUND, () -> "waiting for " + what);
    }

    /** Waits (bounded) until {@code value} gives a non-null answer. */
    static <T> T awaitValue(String what, Supplier<@Nullable T> value) {
        AtomicReference<@Nullable T> got = new AtomicReference<>();
        await(what, () -> {
            got.set(value.get());
            return got.get() != null;
        });
        return Objects.requireNonNull(got.get());
    }

    int requests(String taskId) {
        return sim.requests(ZONE, taskId).size();
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.close();
        }
        for (WorkerFactory f : workflowWorkers) {
            f.shutdownNow();
        }
        env.close();
        sim.close();
    }
}
