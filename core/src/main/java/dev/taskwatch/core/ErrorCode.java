package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * The machine-readable code of an API error, a warning or a detail. Values the API adds later decode to
 * {@link #UNKNOWN}; the raw value stays on the object that carried it.
 */
public enum ErrorCode {
    /** {@code validation_error}: a value in the request was refused; the details name which. */
    VALIDATION_ERROR("validation_error"),
    /** {@code bad_request}: the request was malformed. */
    BAD_REQUEST("bad_request"),
    /** {@code unauthorized}: no credentials, or the server did not accept them. */
    UNAUTHORIZED("unauthorized"),
    /** {@code forbidden}: the credentials are valid but may not do this. */
    FORBIDDEN("forbidden"),
    /** {@code not_found}: no such zone or task, or not visible to these credentials (yet). */
    NOT_FOUND("not_found"),
    /** {@code conflict}: the request clashes with the resource's current state. */
    CONFLICT("conflict"),
    /** {@code rate_limit_exceeded}: too many requests; the {@code Retry-After} hint says when to try again. */
    RATE_LIMIT_EXCEEDED("rate_limit_exceeded"),
    /** {@code internal_error}: the server failed; a later attempt may succeed. */
    INTERNAL_ERROR("internal_error"),
    /** {@code service_unavailable}: the server is overloaded or down for maintenance; try again later. */
    SERVICE_UNAVAILABLE("service_unavailable"),
    /** A value this version does not know, or none at all. */
    UNKNOWN(null);

    private final @Nullable String wireValue;

    ErrorCode(@Nullable String wireValue) {
        this.wireValue = wireValue;
    }

    /**
     * The value on the wire, or {@code null} for {@link #UNKNOWN}.
     *
     * @return the lower-case string the API sends, such as {@code "not_found"}, or {@code null} for {@link #UNKNOWN}
     */
    public @Nullable String wireValue() {
        return wireValue;
    }

    /**
     * The code for a wire value; {@link #UNKNOWN} for anything unrecognised, including {@code null}.
     *
     * @param value the string from the body, matched exactly (case-sensitive), or {@code null}
     * @return the matching constant, never {@code null}
     */
    public static ErrorCode fromWire(@Nullable String value) {
        return WireValues.fromWire(values(), ErrorCode::wireValue, value, UNKNOWN);
    }
}
