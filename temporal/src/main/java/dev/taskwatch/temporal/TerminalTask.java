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

    /** @throws NullPointerException if {@code zoneId}, {@code taskId} or {@code status} is null */
    public TerminalTask {
        Objects.requireNonNull(zoneId, "zoneId");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(status, "status");
    }

    static TerminalTask of(String zoneId, Task task) {
        return new TerminalTask(
                zoneId, task.id(), task.statusValue(), task.installId(), task.errorMessage(), task.packageSlug());
    }

    /** Whether the task failed. */
    public boolean failed() {
        return "failed".equals(status);
    }
}
