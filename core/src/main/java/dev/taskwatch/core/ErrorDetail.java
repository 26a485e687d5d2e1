package dev.taskwatch.core;

import org.jspecify.annotations.Nullable;

/**
 * One specific problem inside an error or a warning.
 *
 * @param codeValue the raw code, or {@code null} when the server sent none
 * @param field the JSON path of the offending request field
 * @param message what is wrong with it
 */
public record ErrorDetail(
        @Nullable String codeValue,
        @Nullable String field,
        @Nullable String message) {

    /** The typed code; {@link ErrorCode#UNKNOWN} for a value this version does not know or none. */
    public ErrorCode code() {
        return ErrorCode.fromWire(codeValue);
    }
}
