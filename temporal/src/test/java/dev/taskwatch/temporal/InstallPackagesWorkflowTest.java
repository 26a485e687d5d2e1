package dev.taskwatch.temporal;

import static dev.taskwatch.temporal.Harness.ZONE;
import static dev.taskwatch.temporal.Harness.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fail-fast install recipe on the test service; the simulator scripts each package's task. */
class InstallPackagesWorkflowTest {

    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    /** The install calls, stubbed: a package's task is "task-" + its slug; uninstalls are recorded. */
    static final class StubInstalls implements PackageInstallActivities {
        final List<String> uninstalled = new CopyOnWriteArrayList<>();

        @Override
        public String startInstall(String zoneId, String packageSlug) {
            return "task-" + packageSlug;
        }

        @Override
        public void uninstall(String zoneId, String installId) {
            uninstalled.add(installId);
        }
    }

    private static final ActivityOptions AWAIT = ActivityOptions.newBuilder()
            .setScheduleToCloseTimeout(Duration.ofMinutes(5))
            .setHeartbeatTimeout(Duration.ofSeconds(1))
            .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
            .build();

    private InstallPackagesWorkflow workflow(String id) {
        return h.env.getWorkflowClient()
                .newWorkflowStub(
                        InstallPackagesWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(Harness.QUEUE)
                                .setWorkflowId(id)
                                .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                                // A workflow task handed to a killed worker's poll is retried after this.
                                .setWorkflowTaskTimeout(Duration.ofSeconds(3))
                                .build());
    }

    @Test
    void installsEveryPackageInParallel() throws Exception {
        h.sim.task(ZONE, "task-a").pending(Duration.ofSeconds(5)).completes("install-a");
        h.sim.task(ZONE, "task-b").running(Duration.ofSeconds(5)).completes("install-b");
        StubInstalls installs = new StubInstalls();
        h.process(Harness.fastPolls(), AWAIT, installs);
        InstallPackagesWorkflow flow = workflow("all");

        CompletableFuture<List<TerminalTask>> done = WorkflowClient.execute(flow::install, ZONE, List.of("a", "b"));
        await("both tasks polled", () -> h.requests("task-a") > 0 && h.requests("task-b") > 0);
        h.clock.advance(Duration.ofSeconds(5));

        List<TerminalTask> tasks = done.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
        assertThat(tasks).extracting(TerminalTask::installId).containsExactly("install-a", "install-b");
        assertThat(installs.uninstalled).isEmpty();
    }

    @Test
    void theFirstFailureCancelsTheOtherWaitsAndRollsBackTheCompletedInstalls() throws Exception {
        h.sim.task(ZONE, "task-a").completes("install-a");
        h.sim.task(ZONE, "task-b").running(Duration.ofSeconds(10)).fails("disk full");
        h.sim.task(ZONE, "task-c").pending(Duration.ofDays(1));
        StubInstalls installs = new StubInstalls();
        Harness.Process p = h.process(Harness.fastPolls(), AWAIT, installs);
        InstallPackagesWorkflow flow = workflow("fail-fast");

        CompletableFuture<List<TerminalTask>> done =
                WorkflowClient.execute(flow::install, ZONE, List.of("a", "b", "c"));
        await(
                "c polled and a done",
                () -> h.requests("task-c") > 0
                        && p.transitions.stream()
                                .anyMatch(t -> t.task() != null
                                        && t.task().id().equals("task-a")
                                        && t.task().status().isTerminal()));
        h.clock.advance(Duration.ofSeconds(10));
        Throwable thrown = catchThrowable(() -> done.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS));

        assertThat(thrown).hasCauseInstanceOf(WorkflowFailedException.class);
        ApplicationFailure failure = (ApplicationFailure) thrown.getCause().getCause();
        assertThat(failure.getType()).isEqualTo(InstallPackagesWorkflowImpl.INSTALL_FAILED);
        assertThat(failure.getOriginalMessage())
                .isEqualTo(
                        "install of b failed: task task-b in zone zone-1 failed: disk full; rolled back: [install-a]");
        assertThat(installs.uninstalled).containsExactly("install-a");
        await("c's wait cancelled", () -> p.watcher.activeWatches().isEmpty());
        int after = h.requests("task-c");
        LockSupport.parkNanos(Duration.ofMillis(800).toNanos()); // real time, over the 200 ms poll interval
        assertThat(h.requests("task-c")).as("c is no longer polled").isEqualTo(after);
    }
}
