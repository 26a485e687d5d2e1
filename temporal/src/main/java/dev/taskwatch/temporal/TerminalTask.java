package dev.taskwatch.temporal;

import dev.taskwatch.core.Task;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A task that ended, as an activity returns it: the few fields a workflow acts on, small and serialisable by
 * Temporal's default (Jackson) data converter.
 *
 * @param zoneId the zone
 * @param taskId the task
 * @param status the raw status, {@code completed} or {@code failed}
 * @param installId the install the task created or deleted, when known
 * @param errorMessage why the task failed, when it did
 * @param packageSlug the package's slug, when the task said
 */
public record TerminalTask(
        String zoneId,
        String taskId,
        String status,
        @Nullable String installId,
        @Nullable String errorMessage,
        @Nullable String packageSlug) {

    /**
     * Checks that the fields every task has are present.
     *
     * @param zoneId the zone, not {@code null}
     * @param taskId the task, not {@code null}
     * @param status the raw status, not {@code null}; {@code completed} or {@code failed} when an activity builds it
     * @param installId the install the task created or deleted, or {@code null} when unknown
     * @param errorMessage why the task failed, or {@code null}
     * @param packageSlug the package's slug, or {@code null} when the task did not say
     * @throws NullPointerException if {@code zoneId}, {@code taskId} or {@code status} is null
     */
    public TerminalTask {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
    }

    static TerminalTask of(String zoneId, Task task) {
        return new TerminalTask(
                zoneId, task.id(), task.statusValue(), task.installId(), task.errorMessage(), task.packageSlug());
    }

    /**
     * Whether the task failed.
     *
     * @return {@code true} if the status is {@code failed}; {@code false} for {@code completed} or any other status
     */
    public boolean failed() {
        return "failed".equals(status);
    }
}
