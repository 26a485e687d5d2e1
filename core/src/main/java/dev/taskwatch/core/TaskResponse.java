package dev.taskwatch.core;

import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One successful answer to a task status request: the task, and the server's hint for when to ask again
 * ({@code Retry-After} or {@code retry-after-ms}), if it sent one.
 *
 * @param task the task as reported ({@code 200}) or as implied by a {@code 303} (completed, with the install id)
 * @param retryAfter the server's polling hint, if any
 */
public record TaskResponse(Task task, @Nullable Duration retryAfter) {

    /** Creates a response. */
    public TaskResponse {
        Objects.requireNonNull(task, "task");
    }
}
