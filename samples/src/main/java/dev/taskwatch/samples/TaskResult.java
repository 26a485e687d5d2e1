package dev.taskwatch.samples;

import dev.taskwatch.core.Task;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How the wait for one task ended, for the summary, the annotations and the step summary.
 *
 * @param taskId the task
 * @param outcome how its wait ended
 * @param last the last task seen, if any
 * @param polls requests sent for it
 * @param elapsed from the start of the wait to its end
 * @param message why it did not meet the condition (the server's error message or ours), unescaped; null when met
 */
record TaskResult(
        String taskId,
        Outcome outcome,
        @Nullable Task last,
        int polls,
        Duration elapsed,
        @Nullable String message) {

    /** The word for the summary: the last status when the condition was met ({@code completed}, {@code running}). */
    String shown() {
        return outcome == Outcome.MET && last != null ? last.statusValue() : outcome.label();
    }

    /** The install id once the task completed, else null (the API may fill it in earlier). */
    @Nullable
    String installId() {
        return last != null && last.status() == dev.taskwatch.core.TaskStatus.COMPLETED ? last.installId() : null;
    }

    static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
