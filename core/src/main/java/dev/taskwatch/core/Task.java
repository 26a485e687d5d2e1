package dev.taskwatch.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A catalog task as the API reports it.
 *
 * <p>Enumerated fields keep their raw wire value ({@link #statusValue()}, {@link #operationValue()}) so that values
 * added to the API later print and re-serialise unchanged; {@link #status()} and {@link #operation()} give the typed
 * view ({@code UNKNOWN} for values this version does not know). Lists are never {@code null}.
 *
 * <p>A task reported by a {@code 303 See Other} (completed) carries only its id, its status and the install id: the
 * other fields are {@code null} or empty.
 *
 * <pre>{@code
 * Task task = client.retrieve("zone-1", "task-1").block(Duration.ofSeconds(10));
 * if (task.status() == TaskStatus.COMPLETED) {
 *     System.out.println("installed as " + task.installId());
 * }
 * }</pre>
 *
 * @param id the task id
 * @param createdAt when the task was created ({@code null} only when the server did not say)
 * @param operationValue the raw {@code operation} ({@code create}, {@code delete}, or a newer value)
 * @param statusValue the raw {@code status} ({@code pending}, {@code running}, {@code completed}, {@code failed}, or
 *     a newer value)
 * @param updatedAt when the task last changed ({@code null} only when the server did not say)
 * @param errorMessage why the task failed, when it did
 * @param installId the install the task created or deleted, once known
 * @param links related resources
 * @param packageId the package's id
 * @param packageSlug the package's slug
 * @param packageVersion the package's version, exactly as sent (an integer in practice)
 * @param warnings informational warnings about the outcome
 */
public record Task(
        String id,
        @Nullable Instant createdAt,
        @Nullable String operationValue,
        String statusValue,
        @Nullable Instant updatedAt,
        @Nullable String errorMessage,
        @Nullable String installId,
        List<Task.Link> links,
        @Nullable String packageId,
        @Nullable String packageSlug,
        @Nullable BigDecimal packageVersion,
        List<Warning> warnings) {

    /**
     * Creates a task, copying the lists.
     *
     * @param id the task id, not {@code null}
     * @param createdAt when the task was created, or {@code null}
     * @param operationValue the raw {@code operation}, or {@code null}
     * @param statusValue the raw {@code status}, not {@code null}; need not be a value {@link TaskStatus} knows
     * @param updatedAt when the task last changed, or {@code null}
     * @param errorMessage why the task failed, or {@code null}
     * @param installId the install id, or {@code null}
     * @param links related resources, not {@code null}; copied, and may not hold {@code null}
     * @param packageId the package's id, or {@code null}
     * @param packageSlug the package's slug, or {@code null}
     * @param packageVersion the package's version, or {@code null}
     * @param warnings the warnings, not {@code null}; copied, and may not hold {@code null}
     * @throws NullPointerException if {@code id}, {@code statusValue}, {@code links} or {@code warnings} is null
     */
    public Task {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(statusValue, "statusValue");
        links = List.copyOf(links);
        warnings = List.copyOf(warnings);
    }

    /**
     * A task known only by its id and status, as a {@code 303} reports a completed one.
     *
     * @param id the task id, not {@code null}
     * @param status the status; not {@link TaskStatus#UNKNOWN}, which has no wire value
     * @param installId the install id, or {@code null} when unknown
     * @return a task with every other field {@code null} or empty
     * @throws IllegalArgumentException if {@code status} is {@link TaskStatus#UNKNOWN}
     */
    public static Task of(String id, TaskStatus status, @Nullable String installId) {
        return new Task(
                id, null, null, wireValueOf(status), null, null, installId, List.of(), null, null, null, List.of());
    }

    /**
     * The typed status; {@link TaskStatus#UNKNOWN} for a value this version does not know.
     *
     * @return the status decoded from {@link #statusValue()}, never {@code null}
     */
    public TaskStatus status() {
        return TaskStatus.fromWire(statusValue);
    }

    /**
     * The typed operation; {@link TaskOperation#UNKNOWN} for a value this version does not know or none.
     *
     * @return the operation decoded from {@link #operationValue()}, never {@code null}
     */
    public TaskOperation operation() {
        return TaskOperation.fromWire(operationValue);
    }

    /**
     * The task in the API's JSON form, on one line: field names as the API spells them ({@code snake_case}), raw enum
     * values exactly as received, absent fields omitted, timestamps in UTC ({@code 2026-01-02T03:04:05Z}).
     *
     * <pre>{@code
     * System.out.println(task.toJson());   // {"id":"t1","status":"running",...}
     * }</pre>
     *
     * @return a JSON object that {@link #fromJson(String)} reads back
     */
    public String toJson() {
        return TaskEncoder.encodeTask(this);
    }

    /**
     * Decodes a Task document in the API's JSON form, as {@link #toJson()} writes it. Unknown fields are ignored;
     * unknown enum values are kept raw.
     *
     * @param json one JSON object, not {@code null}
     * @return the decoded task
     * @throws CatalogProtocolException (not transient) if the document is not a valid Task, saying why
     */
    public static Task fromJson(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return TaskDecoder.decodeTask(json.getBytes(StandardCharsets.UTF_8));
        } catch (StrictJson.MalformedException e) {
            throw new CatalogProtocolException("invalid Task JSON: " + e.getMessage(), e, false);
        }
    }

    private static String wireValueOf(TaskStatus status) {
        String value = status.wireValue();
        if (value == null) {
            throw new IllegalArgumentException("status UNKNOWN has no wire value; use the raw value");
        }
        return value;
    }

    /**
     * A link from a task to a related resource.
     *
     * @param href the target: a fragment ({@code #name}) for an entity in the same graph, or an absolute path or URL
     * @param rel the link relation type
     * @param properties additional metadata; values are JSON values as plain Java ({@code String}, {@code Number},
     *     {@code Boolean}, {@code List}, {@code Map}, or {@code null})
     * @param titles human-readable titles keyed by BCP 47 language tag
     * @param type the media type of an external target
     */
    public record Link(
            String href,
            String rel,
            Map<String, @Nullable Object> properties,
            Map<String, String> titles,
            @Nullable String type) {

        /**
         * Creates a link, copying the maps.
         *
         * @param href the target, not {@code null}
         * @param rel the link relation type, not {@code null}
         * @param properties additional metadata, not {@code null}; copied, and its values may be {@code null}
         * @param titles titles by language tag, not {@code null}; copied, and may hold no {@code null}
         * @param type the media type, or {@code null}
         */
        public Link {
            Objects.requireNonNull(href, "href");
            Objects.requireNonNull(rel, "rel");
            // Map.copyOf refuses null values, which JSON properties may hold.
            properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
            titles = Map.copyOf(titles);
        }
    }
}
