package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.internal.SafeText;
import java.util.Objects;

/**
 * The task ended {@link dev.taskwatch.core.TaskStatus#FAILED failed}. Only {@link TaskWatcher#awaitCompleted} signals
 * it; {@link TaskWatcher#watch} and {@link TaskWatcher#awaitTerminal} emit a failed task as data.
 *
 * <pre>{@code
 * try {
 *     Task done = watcher.awaitCompleted(zone, task).block(Duration.ofMinutes(30));
 * } catch (TaskFailedException e) {
 *     System.err.println(e.getMessage());   // task t1 failed: <error_message, escaped> (0 warnings)
 *     Task failed = e.lastTask();            // warnings, package, timestamps
 * }
 * }</pre>
 */
public final class TaskFailedException extends WatchException {

    private static final long serialVersionUID = 1L;

    private final transient Task task;

    /**
     * @param task the failed task
     * @param polls how many requests the watch made
     */
    TaskFailedException(Task task, int polls) {
        super(describe(task), null, task, polls, false);
        this.task = task;
    }

    /** The failed task, with its {@code error_message} and warnings; never {@code null} here. */
    @Override
    public Task lastTask() {
        return task;
    }

    private static String describe(Task task) {
        Objects.requireNonNull(task, "task");
        StringBuilder sb = new StringBuilder("task ").append(task.id()).append(" failed");
        String error = task.errorMessage();
        // The server's words, escaped: this message is logged and printed, and must not forge lines or hide text.
        sb.append(": ").append(error != null ? SafeText.escape(error, 1000) : "(no error message)");
        int warnings = task.warnings().size();
        sb.append(" (").append(warnings).append(warnings == 1 ? " warning)" : " warnings)");
        return sb.toString();
    }
}
