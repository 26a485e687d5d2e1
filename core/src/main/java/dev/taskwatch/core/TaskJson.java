package dev.taskwatch.core;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The API's JSON form of a {@link Task}, both ways: field names as the API spells them ({@code snake_case}), raw
 * enum values exactly as received, absent fields omitted, timestamps in UTC ({@code 2026-01-02T03:04:05Z}).
 *
 * <pre>{@code
 * String line = TaskJson.encode(task);     // {"id":"t1","status":"running",...}
 * Task again = TaskJson.decode(line);
 * }</pre>
 */
public final class TaskJson {

    private TaskJson() {}

    /** The task as one line of JSON. */
    public static String encode(Task task) {
        Objects.requireNonNull(task, "task");
        return TaskCodec.encodeTask(task);
    }

    /**
     * Decodes a Task document. Unknown fields are ignored; unknown enum values are kept raw.
     *
     * @throws CatalogProtocolException (not transient) if the document is not a valid Task, saying why
     */
    public static Task decode(String json) {
        Objects.requireNonNull(json, "json");
        try {
            return TaskCodec.decodeTask(json.getBytes(StandardCharsets.UTF_8));
        } catch (TaskCodec.MalformedException e) {
            throw new CatalogProtocolException("invalid Task JSON: " + e.getMessage(), e, false);
        }
    }
}
