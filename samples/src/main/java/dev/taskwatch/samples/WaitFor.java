package dev.taskwatch.samples;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;

/** The condition {@code wait --for} waits for, per task. Lower-case constants: they are the option's values. */
enum WaitFor {
    /** The task completed (the default). A failed task ends its wait unmet. */
    completed,
    /** The task ended, completed or failed; a failed task still makes the exit code 1. */
    terminal,
    /** The task has started running, or has completed. A failed task ends its wait unmet. */
    running;

    /** Whether the watch of a task can stop once it has shown {@code task}. */
    boolean ends(Task task) {
        return task.status().isTerminal() || (this == running && task.status() == TaskStatus.RUNNING);
    }

    /** Whether {@code last}, the last status a watch showed before it ended normally, meets this condition. */
    boolean met(Task last) {
        return switch (last.status()) {
            case COMPLETED -> true;
            case RUNNING -> this == running;
            default -> false;
        };
    }
}
