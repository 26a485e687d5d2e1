package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The lifecycle state of a catalog task: {@code pending → running → completed | failed}.
 *
 * <p>Values the API adds later decode to {@link #UNKNOWN}; the raw wire value stays available on the
 * {@link Task} ({@link Task#statusValue()}).
 *
 * <pre>{@code
 * switch (task.status()) {
 *     case COMPLETED -> deploy(task.installId());
 *     case FAILED -> alert(task.errorMessage());
 *     default -> { }                                  // PENDING, RUNNING, or UNKNOWN (a newer value)
 * }
 * }</pre>
 */
public enum TaskStatus {
    PENDING("pending", 0),
    RUNNING("running", 1),
    COMPLETED("completed", 2),
    FAILED("failed", 2),
    /** A value this version does not know. It ranks with {@link #RUNNING}. */
    UNKNOWN(null, 1);

    private final @Nullable String wireValue;
    private final int rank;

    TaskStatus(@Nullable String wireValue, int rank) {
        this.wireValue = wireValue;
        this.rank = rank;
    }

    /** The value on the wire, or {@code null} for {@link #UNKNOWN}. */
    public @Nullable String wireValue() {
        return wireValue;
    }

    /** Whether the task can no longer change: {@link #COMPLETED} or {@link #FAILED}. */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    /**
     * The position in the lifecycle: 0 pending, 1 running (and unknown values), 2 terminal. A task never moves to a
     * lower rank.
     */
    public int rank() {
        return rank;
    }

    /** The status for a wire value; {@link #UNKNOWN} for anything unrecognised, including {@code null}. */
    public static TaskStatus fromWire(@Nullable String value) {
        return WireValues.fromWire(values(), TaskStatus::wireValue, value, UNKNOWN);
    }
}
