package dev.taskwatch.temporal;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * Temporal activities that wait for catalog tasks. Register {@link CatalogTaskActivitiesImpl} with a worker; call
 * through an activity stub whose options set a schedule-to-close timeout (the wait's deadline, kept across retries)
 * and a heartbeat timeout (how soon a crashed worker's wait moves to another one):
 *
 * <pre>{@code
 * CatalogTaskActivities tasks = Workflow.newActivityStub(CatalogTaskActivities.class, ActivityOptions.newBuilder()
 *         .setScheduleToCloseTimeout(Duration.ofMinutes(30))
 *         .setHeartbeatTimeout(Duration.ofSeconds(20))
 *         .build());
 * TerminalTask installed = tasks.awaitTask("zone-1", taskId);
 * }</pre>
 */
@ActivityInterface
public interface CatalogTaskActivities {

    /**
     * Waits until the task ends and returns it.
     *
     * <ul>
     *   <li>Returns the completed task.
     *   <li>A failed task fails the activity with a non-retryable {@code ApplicationFailure} of type
     *       {@value CatalogTaskActivitiesImpl#TASK_FAILED} carrying the task's error message and the
     *       {@link TerminalTask} as details.
     *   <li>At the schedule-to-close deadline the wait stops and Temporal times the activity out
     *       ({@code TimeoutFailure}, {@code SCHEDULE_TO_CLOSE}): no retry follows.
     *   <li>A fatal answer ({@code 401}, {@code 403}, {@code 404} after the not-found grace, …) fails it with a
     *       non-retryable {@code ApplicationFailure} of type {@value CatalogTaskActivitiesImpl#WATCH_FAILED}; a
     *       transient one that used up the watcher's error budget with a retryable one, so Temporal's retry policy
     *       decides, and the retry resumes from the last heartbeat.
     *   <li>An invalid zone or task id fails it at once, before any request, with a non-retryable
     *       {@code ApplicationFailure} of type {@value CatalogTaskActivitiesImpl#INVALID_ID}.
     *   <li>Cancelling the activity stops the wait: no request is sent after the cancellation is seen (at the next
     *       heartbeat, within half the heartbeat timeout).
     * </ul>
     *
     * @param zoneId the zone id: 1–128 characters of {@code [A-Za-z0-9._~-]}, not {@code .} or {@code ..}
     * @param taskId the task id, same rules
     * @return the task, with status {@code completed}; its {@link TerminalTask#installId()}, when the task names
     *     one, is what {@link PackageInstallActivities#uninstall} takes
     */
    @ActivityMethod
    TerminalTask awaitTask(String zoneId, String taskId);
}
