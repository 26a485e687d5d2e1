package dev.taskwatch.temporal.demo;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.ResumePoint;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.temporal.CatalogTaskActivities;
import dev.taskwatch.temporal.CatalogTaskActivitiesImpl;
import dev.taskwatch.temporal.TerminalTask;
import dev.taskwatch.testkit.CatalogSimulator;
import dev.taskwatch.testkit.RecordedRequest;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Starts Temporal's in-process test service, the catalog simulator and a worker; the worker is killed half-way through
 * a slow install, another one starts, and the wait resumes from the last heartbeat. No network, about 15 seconds.
 */
public final class TemporalDemo {

    private static final String QUEUE = "taskwatch-demo";
    private static final String ZONE = "zone-demo";
    private static final String TASK = "install-postgres";
    private static final PrintStream out = System.out;
    private static final long T0 = System.nanoTime();

    private TemporalDemo() {}

    /** The workflow of the demo: await one task. */
    @WorkflowInterface
    public interface AwaitInstall {
        /** Awaits the install's task. */
        @WorkflowMethod
        TerminalTask await(String zoneId, String taskId);
    }

    /** Awaits with a 2-minute deadline and a 2-second heartbeat timeout. */
    public static final class AwaitInstallImpl implements AwaitInstall {
        private final CatalogTaskActivities tasks = Workflow.newActivityStub(
                CatalogTaskActivities.class,
                ActivityOptions.newBuilder()
                        .setScheduleToCloseTimeout(Duration.ofMinutes(2))
                        .setHeartbeatTimeout(Duration.ofSeconds(2))
                        .setRetryOptions(RetryOptions.newBuilder()
                                .setInitialInterval(Duration.ofMillis(200))
                                .build())
                        .build());

        @Override
        public TerminalTask await(String zoneId, String taskId) {
            return tasks.awaitTask(zoneId, taskId);
        }
    }

    /** A worker process: its worker factory, catalog client, watcher and activities. */
    private record Process(
            String name,
            WorkerFactory factory,
            CatalogTasksClient client,
            TaskWatcher watcher,
            CatalogTaskActivitiesImpl activities) {

        static Process start(String name, TestWorkflowEnvironment env, CatalogSimulator sim) {
            WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
            CatalogTasksClient client = CatalogTasksClient.builder()
                    .baseUrl(sim.baseUrl())
                    .credentials(Credentials.none())
                    .build();
            TaskWatcher watcher = TaskWatcher.create(
                    client,
                    WatchOptions.defaults()
                            .initialDelay(Duration.ofMillis(500))
                            .maxDelay(Duration.ofSeconds(1))
                            .jitter(0));
            CatalogTaskActivitiesImpl activities = CatalogTaskActivitiesImpl.create(watcher);
            Worker worker = factory.newWorker(QUEUE);
            worker.registerActivitiesImplementations(activities);
            factory.start();
            say(name + " started (activity worker)");
            return new Process(name, factory, client, watcher, activities);
        }

        /** As a crash: nothing is reported to Temporal. */
        void kill() {
            factory.shutdownNow();
            activities.close();
            watcher.close();
            client.close();
            say(name + " KILLED mid-wait");
        }
    }

    /** Runs the demo. */
    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        System.setProperty("org.slf4j.simpleLogger.log.dev.taskwatch.temporal", "debug");
        System.setProperty("org.slf4j.simpleLogger.log.io.temporal", "error");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "false");
        System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
        System.setProperty("org.slf4j.simpleLogger.logFile", "System.out");
        try (CatalogSimulator sim = CatalogSimulator.start();
                TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                        .setUseTimeskipping(false)
                        .build())) {
            say("simulator on " + sim.baseUrl());
            // The workflow worker lives in a process of its own; the activity workers are the ones that crash.
            WorkerFactory workflows = WorkerFactory.newInstance(env.getWorkflowClient());
            workflows.newWorker(QUEUE).registerWorkflowImplementationTypes(AwaitInstallImpl.class);
            workflows.start();
            Process first = Process.start("worker-1", env, sim);
            AwaitInstall flow = env.getWorkflowClient()
                    .newWorkflowStub(
                            AwaitInstall.class,
                            WorkflowOptions.newBuilder()
                                    .setTaskQueue(QUEUE)
                                    .setWorkflowId("demo")
                                    .build());
            sim.task(ZONE, TASK)
                    .pending(Duration.ofSeconds(4))
                    .running(Duration.ofSeconds(8))
                    .completes("install-42");
            say("task " + TASK + " created: pending 4 s, running 8 s, then completed");
            CompletableFuture<TerminalTask> done = WorkflowClient.execute(flow::await, ZONE, TASK);
            long started = System.nanoTime();

            // Prints each new heartbeat until the task has run a while: then "crashes" the worker.
            String shown = "";
            while (!shown.equals("running") || System.nanoTime() - started < TimeUnit.SECONDS.toNanos(6)) {
                Heartbeat beat = heartbeat(env);
                String status = beat == null ? "" : String.valueOf(beat.point().status());
                if (beat != null && !status.equals(shown)) {
                    say("heartbeat (attempt " + beat.attempt() + "): " + beat.token());
                    say("  = " + beat.point());
                    shown = status;
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
            first.kill();
            int before = sim.requests(ZONE, TASK).size();
            say(before + " requests so far; Temporal retries the activity after its 2 s heartbeat timeout");
            Process second = Process.start("worker-2", env, sim);
            say("worker-2 waits for Temporal to hand it the retry");
            Heartbeat resumed = null;
            while (resumed == null) {
                Heartbeat beat = heartbeat(env);
                if (beat != null && beat.attempt() == 2) {
                    resumed = beat;
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
            say("resumed wait (attempt 2) heartbeats: " + resumed.point());
            TerminalTask task = done.get(60, TimeUnit.SECONDS);
            List<RecordedRequest> requests = sim.requests(ZONE, TASK);
            say("workflow result: " + task);
            say(requests.size() + " requests in all, " + (requests.size() - before) + " after the restart");
            workflows.shutdown();
            second.factory().shutdown();
            second.activities().close();
            second.watcher().close();
            second.client().close();
        }
        say("done");
        System.exit(0);
    }

    private record Heartbeat(String token, ResumePoint point, int attempt) {}

    private static @Nullable Heartbeat heartbeat(TestWorkflowEnvironment env) {
        var response = env.getWorkflowServiceStubs()
                .blockingStub()
                .describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
                        .setNamespace(env.getNamespace())
                        .setExecution(WorkflowExecution.newBuilder().setWorkflowId("demo"))
                        .build());
        if (response.getPendingActivitiesCount() == 0) {
            return null;
        }
        PendingActivityInfo activity = response.getPendingActivities(0);
        if (!activity.hasHeartbeatDetails()) {
            return null;
        }
        String token = DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                0, Optional.of(activity.getHeartbeatDetails()), String.class, String.class);
        return new Heartbeat(token, ResumePoint.fromToken(token), activity.getAttempt());
    }

    private static double seconds() {
        return (System.nanoTime() - T0) / 1e9;
    }

    private static void say(String line) {
        out.printf("[%5.1fs] %s%n", seconds(), line);
    }
}
