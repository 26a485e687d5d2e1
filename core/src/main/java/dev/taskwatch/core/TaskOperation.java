package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/** What a catalog task does to a package. Values the API adds later decode to {@link #UNKNOWN}. */
public enum TaskOperation {
    /** {@code create}: the task installs the package. */
    CREATE("create"),
    /** {@code delete}: the task removes the package's install. */
    DELETE("delete"),
    /** A value this version does not know; the raw value stays on the {@link Task}. */
    UNKNOWN(null);

    private final @Nullable String wireValue;

    TaskOperation(@Nullable String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The value on the wire, or {@code null} for {@link #UNKNOWN}.
     *
     * @return {@code "create"} or {@code "delete"}, or {@code null} for {@link #UNKNOWN}
     */
    public @Nullable String wireValue() {
        return wireValue;
    }

    /**
     * The operation for a wire value; {@link #UNKNOWN} for anything unrecognised, including {@code null}.
     *
     * @param value the string from the body, matched exactly (case-sensitive), or {@code null}
     * @return the matching constant, never {@code null}
     */
    public static TaskOperation fromWire(@Nullable String value) {
        return WireValues.fromWire(values(), TaskOperation::wireValue, value, UNKNOWN);
    }
}
