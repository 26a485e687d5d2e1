package dev.taskwatch.core;

import static dev.taskwatch.core.StrictJson.decimal;
import static dev.taskwatch.core.StrictJson.list;
import static dev.taskwatch.core.StrictJson.plain;
import static dev.taskwatch.core.StrictJson.requireObject;
import static dev.taskwatch.core.StrictJson.required;
import static dev.taskwatch.core.StrictJson.string;
import static dev.taskwatch.core.StrictJson.timestamp;

import dev.taskwatch.core.StrictJson.MalformedException;
import dev.taskwatch.core.internal.SafeText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;

/**
 * Reads a Task document, the body of every {@code 200}, straight into the model: required fields checked, raw enum
 * values kept as sent, unknown fields skipped, lists never null.
 */
final class TaskDecoder {

    /** The status and operation values every poll repeats, decoded as these instances (see StrictJson.string). */
    private static final String[] STATUSES = WireValues.all(TaskStatus.values(), TaskStatus::wireValue);

    private static final String[] OPERATIONS = WireValues.all(TaskOperation.values(), TaskOperation::wireValue);

    static {
        // Loads the parser's classes when this class loads; the client's constructor makes sure that is on the
        // caller's thread, not on an event loop.
        try {
            decodeTask(("{\"id\":\"t\",\"status\":\"running\",\"created_at\":\"2026-01-01T00:00:00Z\","
                            + "\"package_version\":1,\"links\":[{\"href\":\"#\",\"rel\":\"r\","
                            + "\"properties\":{\"a\":[1.5,true,null]}}],\"x\":{}}")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (MalformedException e) {
            throw new IllegalStateException(e);
        }
    }

    private TaskDecoder() {}

    /** Loads this class, so that the warm-up above runs on the calling thread. */
    static void load() {}

    static Task decodeTask(byte[] json) throws MalformedException {
        return decodeTask(json, 0, json.length);
    }

    static Task decodeTask(byte[] json, int offset, int length) throws MalformedException {
        return StrictJson.decode(json, offset, length, TaskDecoder::task);
    }

    private static Task task(JsonParser p) throws MalformedException {
        String id = null;
        Instant createdAt = null;
        String operation = null;
        String status = null;
        Instant updatedAt = null;
        String errorMessage = null;
        String installId = null;
        List<Task.Link> links = List.of();
        String packageId = null;
        String packageSlug = null;
        BigDecimal packageVersion = null;
        List<Warning> warnings = List.of();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            switch (name) {
                case "id" -> id = string(p, name);
                case "created_at" -> createdAt = timestamp(p, name);
                case "operation" -> operation = string(p, name, OPERATIONS);
                case "status" -> status = string(p, name, STATUSES);
                case "updated_at" -> updatedAt = timestamp(p, name);
                case "error_message" -> errorMessage = string(p, name);
                case "install_id" -> installId = string(p, name);
                case "links" -> links = list(p, name, TaskDecoder::link);
                case "package_id" -> packageId = string(p, name);
                case "package_slug" -> packageSlug = string(p, name);
                case "package_version" -> packageVersion = decimal(p, name);
                case "warnings" -> warnings = list(p, name, ApiErrors::warning);
                default -> p.skipChildren();
            }
        }
        return new Task(
                required(id, "id"),
                createdAt,
                operation,
                required(status, "status"),
                updatedAt,
                errorMessage,
                installId,
                links,
                packageId,
                packageSlug,
                packageVersion,
                warnings);
    }

    private static Task.Link link(JsonParser p) throws MalformedException {
        requireObject(p, "links[]");
        String href = null;
        String rel = null;
        Map<String, @Nullable Object> properties = Map.of();
        Map<String, String> titles = Map.of();
        String type = null;
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            switch (name) {
                case "href" -> href = string(p, name);
                case "rel" -> rel = string(p, name);
                case "properties" -> properties = properties(p);
                case "titles" -> titles = titles(p);
                case "type" -> type = string(p, name);
                default -> p.skipChildren();
            }
        }
        return new Task.Link(required(href, "href"), required(rel, "rel"), properties, titles, type);
    }

    private static Map<String, @Nullable Object> properties(JsonParser p) throws MalformedException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        requireObject(p, "properties");
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            p.nextToken();
            out.put(name, plain(p));
        }
        return out;
    }

    private static Map<String, String> titles(JsonParser p) throws MalformedException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return Map.of();
        }
        requireObject(p, "titles");
        Map<String, String> out = new LinkedHashMap<>();
        for (String name = p.nextName(); name != null; name = p.nextName()) {
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                throw new MalformedException("titles." + SafeText.escape(name, 40) + " must be a string", null);
            }
            out.put(name, p.getString());
        }
        return out;
    }
}
