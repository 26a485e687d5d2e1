package dev.taskwatch.core;

import static dev.taskwatch.core.StrictJson.integer;
import static dev.taskwatch.core.StrictJson.list;
import static dev.taskwatch.core.StrictJson.requireObject;
import static dev.taskwatch.core.StrictJson.string;
import static dev.taskwatch.core.StrictJson.timestamp;

import dev.taskwatch.core.StrictJson.MalformedException;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;

/**
 * The API's error shape ({@code code}, {@code message}, {@code details[]}, {@code request_id}, …): the body of an
 * error answer, turned into a {@link CatalogApiException}, and each of a task's {@code warnings[]}.
 */
final class ApiErrors {

    private ApiErrors() {}

    /**
     * An answer that is not a success, from the task endpoint or the token endpoint, with what its body says. The
     * body only adds detail, so it is read {@linkplain #decodeLeniently leniently}. The request id is the body's, else the {@code X-Request-ID} header's.
     *
     * @param request the request line, such as {@code GET /zones/z1/catalog_tasks/t1}
     * @param hint the server's {@code Retry-After} hint, if any
     */
    static CatalogApiException from(
            String request, int status, HttpHeaders headers, CappedBody body, @Nullable Duration hint) {
        Warning error = decodeLeniently(body.array(), 0, body.size());
        String requestId = error != null && error.requestId() != null ? error.requestId() : headers.get("X-Request-ID");
        return new CatalogApiException(
                request,
                status,
                error == null ? null : error.codeValue(),
                error == null ? null : error.message(),
                error == null ? List.of() : error.details(),
                requestId,
                hint);
    }

    /** An error body, read leniently: whatever cannot be understood is left out, never an exception. */
    static @Nullable Warning decodeLeniently(byte[] json, int offset, int length) {
        try {
            return StrictJson.decode(json, offset, length, ApiErrors::warning);
        } catch (MalformedException e) {
            return null;
        }
    }

    /** One object of the error shape. */
    static Warning warning(JsonParser p) throws MalformedException {
        requireObject(p, "warnings[]");
        String code = null;
        List<Warning.Detail> details = List.of();
        String message = null;
        String path = null;
        String requestId = null;
        Integer status = null;
        Instant timestamp = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            switch (name) {
                case "code" -> code = string(p, name);
                case "details" -> details = list(p, name, ApiErrors::detail);
                case "message" -> message = string(p, name);
                case "path" -> path = string(p, name);
                case "request_id" -> requestId = string(p, name);
                case "status" -> status = integer(p, name);
                case "timestamp" -> timestamp = timestamp(p, name);
                default -> p.skipChildren();
            }
        }
        return new Warning(code, details, message, path, requestId, status, timestamp);
    }

    private static Warning.Detail detail(JsonParser p) throws MalformedException {
        requireObject(p, "details[]");
        String code = null;
        String field = null;
        String message = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            switch (name) {
                case "code" -> code = string(p, name);
                case "field" -> field = string(p, name);
                case "message" -> message = string(p, name);
                default -> p.skipChildren();
            }
        }
        return new Warning.Detail(code, field, message);
    }
}
