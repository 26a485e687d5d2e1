package dev.taskwatch.temporal;

import static dev.taskwatch.temporal.Harness.ZONE;
import static dev.taskwatch.temporal.Harness.await;
import static dev.taskwatch.temporal.Harness.awaitValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.taskwatch.reactor.WatchOptions;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.api.enums.v1.TimeoutType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link CatalogTaskActivitiesImpl} on Temporal's in-process test service, against the simulator over real HTTP. The
 * tasks move on the simulator's manual clock; see {@link Harness} for what runs in real time and why.
 */
class CatalogTaskActivitiesTest {

    private final Harness h = new Harness();

    @AfterEach
    void close() {
        h.close();
    }

    private static ActivityOptions awaitOptions(Duration deadline, Duration heartbeat) {
        return ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(deadline)
                .setHeartbeatTimeout(heartbeat)
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofMillis(100))
                        .build())
                .build();
    }

    private AwaitOneWorkflow workflow(String id) {
        return h.env.getWorkflowClient()
                .newWorkflowStub(
                        AwaitOneWorkflow.class,
                        WorkflowOptions.newBuilder()
                                .setTaskQueue(Harness.QUEUE)
                                .setWorkflowId(id)
                                .setWorkflowExecutionTimeout(Duration.ofMinutes(2))
                                // A workflow task handed to a killed worker's poll is retried after this.
                                .setWorkflowTaskTimeout(Duration.ofSeconds(3))
                                .build());
    }

    private static <T> T result(CompletableFuture<T> future) throws Exception {
        return future.get(Harness.BOUND.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void returnsTheCompletedTaskAfterHeartbeatingEachTransition() throws Exception {
        h.sim.task(ZONE, "task-1")
                .pending(Duration.ofSeconds(10))
                .running(Duration.ofSeconds(10))
                .completes("install-1");
        Harness.Process p = h.process(Harness.fastPolls(), awaitOptions(Duration.ofMinutes(5), Duration.ofSeconds(5)));
        AwaitOneWorkflow flow = workflow("happy");

        CompletableFuture<TerminalTask> done = WorkflowClient.execute(flow::await, ZONE, "task-1");
        await(
                "pending heartbeated",
                () -> h.heartbeat("happy")
                        .map(b -> "pending".equals(b.point().status()))
                        .orElse(false));
        h.clock.advance(Duration.ofSeconds(10));
        await(
                "running heartbeated",
                () -> h.heartbeat("happy")
                        .map(b -> "running".equals(b.point().status()))
                        .orElse(false));
        h.clock.advance(Duration.ofSeconds(10));

        TerminalTask task = result(done);
        assertThat(task).isEqualTo(new TerminalTask(ZONE, "task-1", "completed", "install-1", null, null));
        assertThat(p.transitions.stream()
                        .map(t -> t.task() == null ? "start" : t.task().statusValue()))
                .containsExactly("start", "pending", "running", "completed");
    }

    @Test
    void anInvalidTaskIdFailsTheActivityAtOnceWithoutRetryOrRequest() throws Exception {
        h.process(Harness.fastPolls(), awaitOptions(Duration.ofMinutes(5), Duration.ofSeconds(5)));
        AwaitOneWorkflow flow = workflow("invalid-id");

        Throwable thrown = catchThrowable(() -> result(WorkflowClient.execute(flow::await, ZONE, "../task")));

        assertThat(thrown).hasCauseInstanceOf(WorkflowFailedException.class);
        Throwable activity = thrown.getCause().getCause();
        assertThat(activity).isInstanceOf(ActivityFailure.class);
        ApplicationFailure failure = (ApplicationFailure) activity.getCause();
        assertThat(failure.getType()).isEqualTo(CatalogTaskActivitiesImpl.INVALID_ID);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).contains("taskId");
        assertThat(((ActivityFailure) activity).getRetryState().name()).isEqualTo("RETRY_STATE_NON_RETRYABLE_FAILURE");
        assertThat(h.sim.requestCount()).isZero();
    }

    @Test
    void aFailedTaskFailsTheActivityWithoutRetry() throws Exception {
        h.sim.task(ZONE, "task-2").fails("disk full");
        h.process(Harness.fastPolls(), awaitOptions(Duration.ofMinutes(5), Duration.ofSeconds(5)));
        AwaitOneWorkflow flow = workflow("failed");

        Throwable thrown = catchThrowable(() -> result(WorkflowClient.execute(flow::await, ZONE, "task-2")));

        assertThat(thrown).hasCauseInstanceOf(WorkflowFailedException.class);
        Throwable activity = thrown.getCause().getCause();
        assertThat(activity).isInstanceOf(ActivityFailure.class);
        ApplicationFailure failure = (ApplicationFailure) activity.getCause();
        assertThat(failure.getType()).isEqualTo(CatalogTaskActivitiesImpl.TASK_FAILED);
        assertThat(failure.isNonRetryable()).isTrue();
        assertThat(failure.getOriginalMessage()).isEqualTo("task task-2 in zone zone-1 failed: disk full");
        assertThat(failure.getDetails().get(TerminalTask.class).errorMessage()).isEqualTo("disk full");
        assertThat(((ActivityFailure) activity).getRetryState().name()).isEqualTo("RETRY_STATE_NON_RETRYABLE_FAILURE");
        assertThat(h.requests("task-2")).as("one attempt, one request").isOne();
    }

    @Test
    void aWorkerKilledMidWaitIsResumedFromItsLastHeartbeatByAnother() throws Exception {
        h.sim.task(ZONE, "task-3")
                .pending(Duration.ofSeconds(10))
                .running(Duration.ofSeconds(10))
                .completes("install-3");
        // A first poll that waited for the backoff would come a second late: "at once" is visible.
        WatchOptions slowRamp = WatchOptions.defaults()
                .initialDelay(Duration.ofSeconds(1))
                .maxDelay(Duration.ofSeconds(1))
                .jitter(0);
        // 5 s, not 2: on a loaded machine a 2 s heartbeat timeout was once missed by the second worker's attempt,
        // whose retry then reported "completed" a second time (1 run in 5 beside other builds).
        ActivityOptions options = awaitOptions(Duration.ofMinutes(5), Duration.ofSeconds(5));
        Harness.Process first = h.process(slowRamp, options);
        AwaitOneWorkflow flow = workflow("killed");
        CompletableFuture<TerminalTask> done = WorkflowClient.execute(flow::await, ZONE, "task-3");

        await(
                "pending heartbeated",
                () -> h.heartbeat("killed")
                        .map(b -> "pending".equals(b.point().status()))
                        .orElse(false));
        h.clock.advance(Duration.ofSeconds(10));
        Harness.Heartbeat before = awaitValue(
                "running heartbeated",
                () -> h.heartbeat("killed")
                        .filter(b -> "running".equals(b.point().status()))
                        .orElse(null));
        first.kill();
        int requestsBeforeRestart = h.requests("task-3");

        Harness.Process second = h.process(slowRamp, options);
        CatalogTaskActivitiesImpl.Transition started = awaitValue(
                "the retry starts",
                () -> second.transitions.stream()
                        .filter(t -> t.task() == null)
                        .findFirst()
                        .orElse(null));
        await("the resumed wait polls", () -> h.requests("task-3") > requestsBeforeRestart);
        long firstPollAfter = System.nanoTime() - started.atNanos();
        Harness.Heartbeat resumed = awaitValue(
                "the retry heartbeats",
                () -> h.heartbeat("killed").filter(b -> b.attempt() == 2).orElse(null));
        h.clock.advance(Duration.ofSeconds(10));
        TerminalTask task = result(done);

        assertThat(task.status()).isEqualTo("completed");
        assertThat(task.installId()).isEqualTo("install-3");
        assertThat(first.transitions.stream()
                        .filter(t -> t.task() != null)
                        .map(t -> t.task().statusValue()))
                .containsExactly("pending", "running");
        assertThat(second.transitions.stream()
                        .filter(t -> t.task() != null)
                        .map(t -> t.task().statusValue()))
                .as("nothing reported twice")
                .containsExactly("completed");
        assertThat(started.attempt()).isEqualTo(2);
        assertThat(resumed.point().status()).isEqualTo("running");
        assertThat(resumed.point().deadline())
                .as("same deadline")
                .isEqualTo(before.point().deadline());
        assertThat(TimeUnit.NANOSECONDS.toMillis(firstPollAfter))
                .as("first poll after the restart goes out at once, not after the 1 s backoff")
                .isLessThan(800);
        long resumedFor = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started.atNanos());
        assertThat(h.requests("task-3") - requestsBeforeRestart)
                .as("bounded: one request per second of backoff, plus the first")
                .isLessThanOrEqualTo((int) resumedFor + 2);
    }

    @Test
    void cancellingTheActivityStopsTheWatch() throws Exception {
        h.sim.task(ZONE, "task-4").pending(Duration.ofDays(1));
        Harness.Process p = h.process(Harness.fastPolls(), awaitOptions(Duration.ofMinutes(5), Duration.ofSeconds(1)));
        AwaitOneWorkflow flow = workflow("cancelled");
        CompletableFuture<TerminalTask> done = WorkflowClient.execute(flow::await, ZONE, "task-4");
        await("pending heartbeated", () -> h.heartbeat("cancelled").isPresent());

        WorkflowStub.fromTyped(flow).cancel();
        Throwable thrown = catchThrowable(() -> result(done));
        assertThat(thrown).hasCauseInstanceOf(WorkflowFailedException.class);
        assertThat(thrown.getCause().getCause()).isInstanceOf(CanceledFailure.class);
        int after = h.requests("task-4");

        // Real time, generously over the 200 ms poll interval: a watch left running would have polled meanwhile.
        LockSupport.parkNanos(Duration.ofMillis(800).toNanos());
        assertThat(h.requests("task-4")).as("no request after the cancellation").isEqualTo(after);
        assertThat(p.watcher.activeWatches()).isEmpty();
        assertThat(p.activities.toString()).contains("waits=0");
    }

    @Test
    void theDeadlineIsTemporalsScheduleToCloseTimeoutNotARetry() throws Exception {
        h.sim.task(ZONE, "task-5").pending(Duration.ofDays(1));
        Harness.Process p = h.process(Harness.fastPolls(), awaitOptions(Duration.ofSeconds(3), Duration.ofSeconds(1)));
        AwaitOneWorkflow flow = workflow("timeout");
        Instant started = Instant.now();

        CompletableFuture<TerminalTask> done = WorkflowClient.execute(flow::await, ZONE, "task-5");
        Instant deadline = awaitValue(
                "first heartbeat",
                () -> h.heartbeat("timeout").map(b -> b.point().deadline()).orElse(null));
        Throwable thrown = catchThrowable(() -> result(done));
        assertThat(deadline).isBetween(started.plusSeconds(3), started.plusSeconds(8));

        assertThat(thrown).hasCauseInstanceOf(WorkflowFailedException.class);
        ActivityFailure activity = (ActivityFailure) thrown.getCause().getCause();
        assertThat(activity.getCause()).isInstanceOf(TimeoutFailure.class);
        assertThat(((TimeoutFailure) activity.getCause()).getTimeoutType())
                .isEqualTo(TimeoutType.TIMEOUT_TYPE_SCHEDULE_TO_CLOSE);
        assertThat(Duration.between(started, Instant.now())).isLessThan(Duration.ofSeconds(10));
        List<Integer> attempts = p.transitions.stream()
                .filter(t -> t.task() == null)
                .map(CatalogTaskActivitiesImpl.Transition::attempt)
                .toList();
        assertThat(attempts).as("one attempt: no retry storm").containsExactly(1);
        // The watch ends at the deadline, Temporal's timer on the test service's clock: either may come first.
        await("the watch stopped", () -> p.watcher.activeWatches().isEmpty());
        int after = h.requests("task-5");
        LockSupport.parkNanos(Duration.ofMillis(800).toNanos()); // real time, as in the cancellation test
        assertThat(h.requests("task-5")).as("no request after the deadline").isEqualTo(after);
    }
}
