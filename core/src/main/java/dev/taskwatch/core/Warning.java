package dev.taskwatch.core;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An informational warning about a task's outcome, in the API's error shape. For delete tasks, warnings say when
 * adopted pre-existing entities are kept rather than deleted.
 *
 * @param codeValue the raw code, or {@code null} when the server sent none
 * @param details the specific problems
 * @param message a summary
 * @param path the URL the warning is about
 * @param requestId the request that produced it
 * @param status an HTTP status code
 * @param timestamp when it was produced
 */
public record Warning(
        @Nullable String codeValue,
        List<Detail> details,
        @Nullable String message,
        @Nullable String path,
        @Nullable String requestId,
        @Nullable Integer status,
        @Nullable Instant timestamp) {

    /**
     * Creates a warning, copying the details.
     *
     * @param codeValue the raw code, or {@code null}
     * @param details the specific problems, not {@code null}; copied, and may not hold {@code null}
     * @param message a summary, or {@code null}
     * @param path the URL the warning is about, or {@code null}
     * @param requestId the request that produced it, or {@code null}
     * @param status an HTTP status code, or {@code null}
     * @param timestamp when it was produced, or {@code null}
     * @throws NullPointerException if {@code details} is null
     */
    public Warning {
        details = List.copyOf(details);
    }

    /**
     * The typed code; {@link ErrorCode#UNKNOWN} for a value this version does not know or none.
     *
     * @return the code decoded from {@link #codeValue()}, never {@code null}
     */
    public ErrorCode code() {
        return ErrorCode.fromWire(codeValue);
    }

    /**
     * One specific problem inside an error or a warning.
     *
     * @param codeValue the raw code, or {@code null} when the server sent none
     * @param field the JSON path of the offending request field
     * @param message what is wrong with it
     */
    public record Detail(
            @Nullable String codeValue,
            @Nullable String field,
            @Nullable String message) {

        /**
         * The typed code; {@link ErrorCode#UNKNOWN} for a value this version does not know or none.
         *
         * @return the code decoded from {@link #codeValue()}, never {@code null}
         */
        public ErrorCode code() {
            return ErrorCode.fromWire(codeValue);
        }
    }
}
