package dev.taskwatch.core;

import dev.taskwatch.core.internal.SafeText;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The API answered with a status that is neither {@code 200} nor {@code 303}. Carries the HTTP status, the error body
 * the API sent (code, message, details, request id) and any {@code Retry-After} hint.
 *
 * <p>Transient: {@code 408}, {@code 429}, {@code 500}, {@code 502}, {@code 503}, {@code 504}. Everything else,
 * including {@code 404}, is a definite answer (the watcher treats a {@code 404} soon after creation as transient on
 * its own terms).
 *
 * <pre>{@code
 * client.retrieve(zone, task).onErrorResume(CatalogApiException.class, e -> e.httpStatus() == 404
 *         ? Mono.empty()                                   // not visible (yet)
 *         : Mono.error(e));                                // e.getMessage(): "GET … → 403 forbidden: … (request …)"
 * }</pre>
 */
public final class CatalogApiException extends CatalogException {

    private static final long serialVersionUID = 1L;
    private static final Set<Integer> TRANSIENT_STATUSES = Set.of(408, 429, 500, 502, 503, 504);

    /** The request line, such as {@code GET /zones/z1/catalog_tasks/t1}. */
    private final String request;
    /** The HTTP status code. */
    private final int httpStatus;
    /** The raw error code from the body, or {@code null}. */
    private final @Nullable String codeValue;
    /** The error message from the body, or {@code null}. */
    private final @Nullable String serverMessage;
    /** The error details from the body, an unmodifiable copy. */
    private final List<Warning.Detail> details;
    /** The request id the server reported, or {@code null}. */
    private final @Nullable String requestId;
    /** The server's hint for when to try again, or {@code null}. */
    private final @Nullable Duration retryAfter;

    /**
     * @param request the request line, such as {@code GET /zones/z1/catalog_tasks/t1}
     * @param httpStatus the HTTP status code
     * @param codeValue the raw error code from the body, if any
     * @param serverMessage the error message from the body, if any
     * @param details the error details from the body
     * @param requestId the request id the server reported, if any
     * @param retryAfter the server's hint for when to try again, if any
     */
    public CatalogApiException(
            String request,
            int httpStatus,
            @Nullable String codeValue,
            @Nullable String serverMessage,
            List<Warning.Detail> details,
            @Nullable String requestId,
            @Nullable Duration retryAfter) {
        super(
                describe(request, httpStatus, codeValue, serverMessage, requestId),
                null,
                TRANSIENT_STATUSES.contains(httpStatus));
        this.request = Objects.requireNonNull(request, "request");
        this.httpStatus = httpStatus;
        this.codeValue = codeValue;
        this.serverMessage = serverMessage;
        this.details = List.copyOf(details);
        this.requestId = requestId;
        this.retryAfter = retryAfter;
    }

    /**
     * The request that failed, such as {@code GET /zones/z1/catalog_tasks/t1}.
     *
     * @return the method and path, without host, query or credentials
     */
    public String request() {
        return request;
    }

    /**
     * The HTTP status code.
     *
     * @return the status the API answered with, such as {@code 404} or {@code 503}
     */
    public int httpStatus() {
        return httpStatus;
    }

    /**
     * The typed error code; {@link ErrorCode#UNKNOWN} when the body had none or an unknown one.
     *
     * @return the code, never {@code null}; {@link #codeValue()} keeps the raw string
     */
    public ErrorCode code() {
        return ErrorCode.fromWire(codeValue);
    }

    /**
     * The raw error code from the body, if any.
     *
     * @return the code as sent, such as {@code "not_found"}, or {@code null} when the body had none
     */
    public @Nullable String codeValue() {
        return codeValue;
    }

    /**
     * The error message from the body, if any.
     *
     * @return the message as sent (unescaped, unlike {@link #getMessage()}), or {@code null} when the body had none
     */
    public @Nullable String serverMessage() {
        return serverMessage;
    }

    /**
     * The error details from the body; empty when there were none.
     *
     * @return an unmodifiable list, never {@code null}
     */
    public List<Warning.Detail> details() {
        return details;
    }

    /**
     * The request id the server reported, if any.
     *
     * @return the id to quote to the API's operators, or {@code null} when the server sent none
     */
    public @Nullable String requestId() {
        return requestId;
    }

    /**
     * The server's hint for when to try again ({@code Retry-After} or {@code retry-after-ms}), if any.
     *
     * @return the delay from the time of the response, zero or more and at most one day, or {@code null} when the
     *     server sent no usable hint
     */
    public @Nullable Duration retryAfter() {
        return retryAfter;
    }

    private static String describe(
            String request,
            int httpStatus,
            @Nullable String codeValue,
            @Nullable String serverMessage,
            @Nullable String requestId) {
        // The server's words are escaped and bounded: this message is logged, and a CR/LF in it would forge lines.
        StringBuilder sb = new StringBuilder(request).append(" → ").append(httpStatus);
        if (codeValue != null) {
            sb.append(' ').append(SafeText.escape(codeValue, 64));
        }
        if (serverMessage != null) {
            sb.append(": ").append(SafeText.escape(serverMessage, 500));
        }
        if (requestId != null) {
            sb.append(" (request ").append(SafeText.escape(requestId, 64)).append(')');
        }
        return sb.toString();
    }
}
