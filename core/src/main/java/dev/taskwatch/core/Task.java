package dev.taskwatch.core;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A catalog task as the API reports it.
 *
 * <p>Enumerated fields keep their raw wire value ({@link #statusValue()}, {@link #operationValue()}) so that values
 * added to the API later print and re-serialise unchanged; {@link #status()} and {@link #operation()} give the typed
 * view ({@code UNKNOWN} for values this version does not know). Lists are never {@code null}.
 *
 * <p>A task reported by a {@code 303 See Other} (completed) carries only its id, its status and the install id: the
 * other fields are {@code null} or empty.
 *
 * <pre>{@code
 * Task task = client.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
 * if (task.status() == TaskStatus.COMPLETED) {
 *     System.out.println("installed as " + task.installId());
 * }
 * }</pre>
 *
 * @param id the task id
 * @param createdAt when the task was created ({@code null} only when the server did not say)
 * @param operationValue the raw {@code operation} ({@code create}, {@code delete}, or a newer value)
 * @param statusValue the raw {@code status} ({@code pending}, {@code running}, {@code completed}, {@code failed}, or
 *     a newer value)
 * @param updatedAt when the task last changed ({@code null} only when the server did not say)
 * @param errorMessage why the task failed, when it did
 * @param installId the install the task created or deleted, once known
 * @param links related resources
 * @param packageId the package's id
 * @param packageSlug the package's slug
 * @param packageVersion the package's version, exactly as sent (an integer in practice)
 * @param warnings informational warnings about the outcome
 */
public record Task(
        String id,
        @Nullable Instant createdAt,
        @Nullable String operationValue,
        String statusValue,
        @Nullable Instant updatedAt,
        @Nullable String errorMessage,
        @Nullable String installId,
        List<Link> links,
        @Nullable String packageId,
        @Nullable String packageSlug,
        @Nullable BigDecimal packageVersion,
        List<Warning> warnings) {

    /**
     * Creates a task, copying the lists.
     *
     * @throws NullPointerException if {@code id}, {@code statusValue}, {@code links} or {@code warnings} is null
     */
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(statusValue, "statusValue");
        links = List.copyOf(links);
        warnings = List.copyOf(warnings);
    }

    /**
     * A task known only by its id and status, as a {@code 303} reports a completed one.
     *
     * @param installId the install id, or {@code null} when unknown
     */
    public static Task of(String id, TaskStatus status, @Nullable String installId) {
        return new Task(
                id, null, null, wireValueOf(status), null, null, installId, List.of(), null, null, null, List.of());
    }

    /** The typed status; {@link TaskStatus#UNKNOWN} for a value this version does not know. */
    public TaskStatus status() {
        return TaskStatus.fromWire(statusValue);
    }

    /** The typed operation; {@link TaskOperation#UNKNOWN} for a value this version does not know or none. */
    public TaskOperation operation() {
        return TaskOperation.fromWire(operationValue);
    }

    /** A copy with another status. */
    public Task withStatus(TaskStatus status) {
        return withStatusValue(wireValueOf(status));
    }

    /** A copy with another raw status value. */
    public Task withStatusValue(String statusValue) {
        return new Task(
                id,
                createdAt,
                operationValue,
                statusValue,
                updatedAt,
                errorMessage,
                installId,
                links,
                packageId,
                packageSlug,
                packageVersion,
                warnings);
    }

    /**
     * This task's fields completed by {@code earlier}'s where this one has none, as when a {@code 303} (which carries
     * only the id, the status and the install id) follows a full report of the same task.
     */
    public Task mergedOver(Task earlier) {
        return new Task(
                id,
                createdAt != null ? createdAt : earlier.createdAt,
                operationValue != null ? operationValue : earlier.operationValue,
                statusValue,
                updatedAt != null ? updatedAt : earlier.updatedAt,
                errorMessage != null ? errorMessage : earlier.errorMessage,
                installId != null ? installId : earlier.installId,
                links.isEmpty() ? earlier.links : links,
                packageId != null ? packageId : earlier.packageId,
                packageSlug != null ? packageSlug : earlier.packageSlug,
                packageVersion != null ? packageVersion : earlier.packageVersion,
                warnings.isEmpty() ? earlier.warnings : warnings);
    }

    private static String wireValueOf(TaskStatus status) {
        String value = status.wireValue();
        if (value == null) {
            throw new IllegalArgumentException("status UNKNOWN has no wire value; use withStatusValue(String)");
        }
        return value;
    }
}
