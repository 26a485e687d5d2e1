package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The machine-readable code of an API error, a warning or a detail. Values the API adds later decode to
 * {@link #UNKNOWN}; the raw value stays on the object that carried it.
 */
public enum ErrorCode {
    VALIDATION_ERROR("validation_error"),
    BAD_REQUEST("bad_request"),
    UNAUTHORIZED("unauthorized"),
    FORBIDDEN("forbidden"),
    NOT_FOUND("not_found"),
    CONFLICT("conflict"),
    RATE_LIMIT_EXCEEDED("rate_limit_exceeded"),
    INTERNAL_ERROR("internal_error"),
    SERVICE_UNAVAILABLE("service_unavailable"),
    /** A value this version does not know, or none at all. */
    UNKNOWN(null);

    private final @Nullable String wireValue;

    ErrorCode(@Nullable String wireValue) {
        this.wireValue = wireValue;
    }

    /** The value on the wire, or {@code null} for {@link #UNKNOWN}. */
    public @Nullable String wireValue() {
        return wireValue;
    }

    /** The code for a wire value; {@link #UNKNOWN} for anything unrecognised, including {@code null}. */
    public static ErrorCode fromWire(@Nullable String value) {
        return WireValues.fromWire(values(), ErrorCode::wireValue, value, UNKNOWN);
    }
}
