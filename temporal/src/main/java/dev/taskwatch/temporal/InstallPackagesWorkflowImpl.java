package dev.taskwatch.temporal;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The {@link InstallPackagesWorkflow} recipe. Deterministic: it only starts activities and waits on their promises;
 * every request to the catalog is made by an activity.
 *
 * <p>Register it with {@code registerWorkflowImplementationTypes(InstallPackagesWorkflowImpl.class)} for the default
 * options (a 30-minute deadline per wait, 20-second heartbeat timeout), or with a factory for others:
 * {@code registerWorkflowImplementationFactory(InstallPackagesWorkflow.class, () -> new
 * InstallPackagesWorkflowImpl(awaitOptions, installOptions))}.
 */
public final class InstallPackagesWorkflowImpl implements InstallPackagesWorkflow {

    /** The {@code ApplicationFailure} type the workflow fails with. */
    public static final String INSTALL_FAILED = "PackageInstallFailed";

    private final CatalogTaskActivities tasks;
    private final PackageInstallActivities installs;

    /** With the default options. */
    public InstallPackagesWorkflowImpl() {
        this(defaultAwaitOptions(), defaultInstallOptions());
    }

    /**
     * With the given activity options, for a {@code registerWorkflowImplementationFactory}. Call it only from workflow
     * code: it creates the activity stubs.
     *
     * @param awaitOptions the options of each {@link CatalogTaskActivities#awaitTask} call: set a schedule-to-close
     *     timeout (the wait's deadline) and a heartbeat timeout
     * @param installOptions the options of the {@link PackageInstallActivities} calls
     * @throws NullPointerException if either is {@code null}
     */
    public InstallPackagesWorkflowImpl(ActivityOptions awaitOptions, ActivityOptions installOptions) {
        Objects.requireNonNull(awaitOptions, "awaitOptions");
        Objects.requireNonNull(installOptions, "installOptions");
        this.tasks = Workflow.newActivityStub(CatalogTaskActivities.class, awaitOptions);
        this.installs = Workflow.newActivityStub(PackageInstallActivities.class, installOptions);
    }

    /**
     * A 30-minute deadline, a 20-second heartbeat timeout, cancellation confirmed before the workflow goes on.
     *
     * @return new options on each call; retries back off from 1 second to at most 30 seconds apart, with no limit on
     *     attempts within the deadline
     */
    public static ActivityOptions defaultAwaitOptions() {
        return ActivityOptions.newBuilder()
                .setScheduleToCloseTimeout(Duration.ofMinutes(30))
                .setHeartbeatTimeout(Duration.ofSeconds(20))
                .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
                .setRetryOptions(RetryOptions.newBuilder()
                        .setInitialInterval(Duration.ofSeconds(1))
                        .setMaximumInterval(Duration.ofSeconds(30))
                        .build())
                .build();
    }

    /**
     * A one-minute start-to-close timeout, at most five attempts.
     *
     * @return new options on each call; retries use Temporal's default backoff
     */
    public static ActivityOptions defaultInstallOptions() {
        return ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(5).build())
                .build();
    }

    @Override
    public List<TerminalTask> install(String zoneId, List<String> packageSlugs) {
        List<Promise<TerminalTask>> waits = new ArrayList<>(packageSlugs.size());
        CancellationScope scope = Workflow.newCancellationScope(() -> {
            for (String slug : packageSlugs) {
                waits.add(Async.function(this::installOne, zoneId, slug));
            }
        });
        scope.run();
        Workflow.await(() -> firstFailure(waits) >= 0 || waits.stream().allMatch(Promise::isCompleted));
        int failed = firstFailure(waits);
        if (failed < 0) {
            List<TerminalTask> done = new ArrayList<>(waits.size());
            for (Promise<TerminalTask> wait : waits) {
                done.add(wait.get());
            }
            return done;
        }
        scope.cancel();
        List<String> rolledBack = new ArrayList<>();
        for (Promise<TerminalTask> wait : waits) {
            if (wait.isCompleted() && wait.getFailure() == null) {
                String installId = wait.get().installId();
                if (installId != null) {
                    installs.uninstall(zoneId, installId);
                    rolledBack.add(installId);
                }
            }
        }
        throw ApplicationFailure.newNonRetryableFailure(
                "install of " + packageSlugs.get(failed) + " failed: "
                        + reason(waits.get(failed).getFailure()) + "; rolled back: " + rolledBack,
                INSTALL_FAILED,
                rolledBack);
    }

    private TerminalTask installOne(String zoneId, String slug) {
        String taskId = installs.startInstall(zoneId, slug);
        return tasks.awaitTask(zoneId, taskId);
    }

    /** The index of the first wait, in argument order, that has failed; -1 if none has. */
    private static int firstFailure(List<Promise<TerminalTask>> waits) {
        for (int i = 0; i < waits.size(); i++) {
            if (waits.get(i).isCompleted() && waits.get(i).getFailure() != null) {
                return i;
            }
        }
        return -1;
    }

    private static String reason(RuntimeException failure) {
        Throwable cause = failure instanceof ActivityFailure activity && activity.getCause() != null
                ? activity.getCause()
                : failure;
        return cause instanceof TemporalFailure temporal
                ? temporal.getOriginalMessage()
                : String.valueOf(cause.getMessage());
    }
}
