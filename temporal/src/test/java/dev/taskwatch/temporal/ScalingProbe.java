package dev.taskwatch.temporal;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Not a test: measures how many concurrent awaits one activity worker holds. Run by hand (see docs/SCALING.md):
 * N workflows each await a task that stays pending; once N watches are live it prints threads and heap (after GC)
 * against the same process before the workflows started.
 */
public final class ScalingProbe {

    private ScalingProbe() {}

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        ActivityOptions await = ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(Duration.ofMinutes(30))
                .setHeartbeatTimeout(Duration.ofSeconds(60))
                .build();
        try (CatalogSimulator sim =
                        CatalogSimulator.builder().recordRequests(1000).start();
                TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder()
                        .setUseTimeskipping(false)
                        .build());
                CatalogTasksClient client = CatalogTasksClient.builder()
                        .baseUrl(sim.baseUrl())
                        .credentials(Credentials.none())
                        .build()) {
            TaskWatcher watcher = TaskWatcher.create(
                    client,
                    WatchOptions.defaults().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(10)));
            WorkerFactory factory = WorkerFactory.newInstance(env.getWorkflowClient());
            Worker worker = factory.newWorker(
                    "probe",
                    WorkerOptions.newBuilder()
                            .setMaxConcurrentActivityExecutionSize(n + 10)
                            .build());
            worker.registerWorkflowImplementationFactory(
                    AwaitOneWorkflow.class, () -> new AwaitOneWorkflow.Impl(await));
            CatalogTaskActivitiesImpl activities = CatalogTaskActivitiesImpl.create(watcher);
            worker.registerActivitiesImplementations(activities);
            factory.start();
            for (int i = 0; i < n; i++) {
                sim.task("zone-1", "task-" + i).pending(Duration.ofDays(1));
            }
            // Warm-up: one workflow through, so the baseline has the classes and pools loaded.
            sim.task("zone-1", "warm").completes("i");
            env.getWorkflowClient()
                    .newWorkflowStub(
                            AwaitOneWorkflow.class,
                            WorkflowOptions.newBuilder().setTaskQueue("probe").build())
                    .await("zone-1", "warm");
            Snapshot before = Snapshot.take();
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                AwaitOneWorkflow flow = env.getWorkflowClient()
                        .newWorkflowStub(
                                AwaitOneWorkflow.class,
                                WorkflowOptions.newBuilder()
                                        .setTaskQueue("probe")
                                        .setWorkflowId("w-" + i)
                                        .build());
                WorkflowClient.start(flow::await, "zone-1", "task-" + i);
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (watcher.activeWatches().size() < n && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            int live = watcher.activeWatches().size();
            double rampSeconds = (System.nanoTime() - t0) / 1e9;
            TimeUnit.SECONDS.sleep(15); // a few backoff rounds and heartbeats at the steady state
            Snapshot after = Snapshot.take();
            long workflowThreads = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("workflow-method-"))
                    .count();
            System.out.printf(
                    "N=%d live watches=%d (all live after %.1f s)%n"
                            + "threads: %d before, %d with the awaits in flight, of which %d are workflow threads"
                            + " (the workflow worker's, one per open workflow, not the activity worker's)%n"
                            + "heap used after GC: %.1f MB before, %.1f MB after: %.1f KB per await"
                            + " (worker + watcher + in-process Temporal service state, all in this JVM)%n"
                            + "simulator requests: %d%n",
                    n,
                    live,
                    rampSeconds,
                    before.threads,
                    after.threads,
                    workflowThreads,
                    before.heapMb(),
                    after.heapMb(),
                    (after.heap - before.heap) / 1024.0 / n,
                    sim.requestCount());
            activities.close();
            factory.shutdownNow();
            watcher.close();
        }
        System.exit(0);
    }

    private record Snapshot(int threads, long heap) {
        static Snapshot take() throws InterruptedException {
            for (int i = 0; i < 3; i++) {
                System.gc();
                TimeUnit.MILLISECONDS.sleep(200);
            }
            return new Snapshot(
                    ManagementFactory.getThreadMXBean().getThreadCount(),
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }

        double heapMb() {
            return heap / 1024.0 / 1024.0;
        }
    }
}
