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
    /** {@code pending}: accepted, not started yet. Rank 0. */
    PENDING("pending", 0),
    /** {@code running}: in progress. Rank 1. */
    RUNNING("running", 1),
    /** {@code completed}: done; the task's install id names the result. Terminal, rank 2. */
    COMPLETED("completed", 2),
    /** {@code failed}: ended without success; the task's error message says why. Terminal, rank 2. */
    FAILED("failed", 2),
    /** A value this version does not know. It ranks with {@link #RUNNING}. */
    UNKNOWN(null, 1);

    private final @Nullable String wireValue;
    private final int rank;

    TaskStatus(@Nullable String wireValue, int rank) {
        this.wireValue = wireValue;
        this.rank = rank;
    }

    /**
     * The value on the wire, or {@code null} for {@link #UNKNOWN}.
     *
     * @return the lower-case string the API sends, such as {@code "running"}, or {@code null} for {@link #UNKNOWN}
     */
    public @Nullable String wireValue() {
        return wireValue;
    }

    /**
     * Whether the task can no longer change: {@link #COMPLETED} or {@link #FAILED}.
     *
     * @return {@code true} for {@link #COMPLETED} and {@link #FAILED}, {@code false} otherwise (also for
     *     {@link #UNKNOWN})
     */
    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED;
    }

    /**
     * The position in the lifecycle: 0 pending, 1 running (and unknown values), 2 terminal. A task never moves to a
     * lower rank.
     *
     * @return 0, 1 or 2
     */
    public int rank() {
        return rank;
    }

    /**
     * The status for a wire value; {@link #UNKNOWN} for anything unrecognised, including {@code null}.
     *
     * @param value the string from the body, matched exactly (case-sensitive), or {@code null}
     * @return the matching constant, never {@code null}
     */
    public static TaskStatus fromWire(@Nullable String value) {
        return WireValues.fromWire(values(), TaskStatus::wireValue, value, UNKNOWN);
    }
}
