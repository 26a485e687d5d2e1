package dev.taskwatch.testkit;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request the {@link CatalogSimulator} received, for assertions.
 *
 * <pre>{@code
 * RecordedRequest last = sim.requests("zone-1", "task-1").get(0);
 * assertThat(last.header("x-client-request-id")).isNotNull();
 * assertThat(last.status()).isEqualTo(200);
 * }</pre>
 *
 * @param time when it arrived, by the simulator's clock
 * @param method the HTTP method, such as {@code GET}
 * @param uri the request target as sent: the path and any query
 * @param headers the request headers, names in lower case, repeated values joined with {@code ", "}
 * @param zoneId the zone of a task request, else {@code null}
 * @param taskId the task of a task request, else {@code null}
 * @param status the HTTP status answered (or about to be answered, after a stall); {@code 0} when no response is
 *     sent (a reset, a stall forever)
 * @param fault the fault applied, or {@code null} when the request was answered as scripted
 */
public record RecordedRequest(
        Instant time,
        String method,
        String uri,
        Map<String, String> headers,
        @Nullable String zoneId,
        @Nullable String taskId,
        int status,
        @Nullable Fault fault) {

    /**
     * Creates a record, copying the headers and lower-casing their names.
     *
     * @param time when it arrived, not {@code null}
     * @param method the HTTP method, not {@code null}
     * @param uri the request target, not {@code null}
     * @param headers the headers, not {@code null}; names differing only in case are merged, values joined with
     *     {@code ", "}
     * @param zoneId the zone of a task request, else {@code null}
     * @param taskId the task of a task request, else {@code null}
     * @param status the HTTP status answered, or {@code 0} when none is sent
     * @param fault the fault applied, or {@code null}
     */
    public RecordedRequest {
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(uri, "uri");
        Map<String, String> copy = new LinkedHashMap<>();
        headers.forEach((k, v) -> copy.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
        headers = Collections.unmodifiableMap(copy);
    }

    /**
     * The value of a header, by case-insensitive name, or {@code null} if absent.
     *
     * @param name the header name in any case, not {@code null}
     * @return the value, repeated values joined with {@code ", "}, or {@code null}
     */
    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}
