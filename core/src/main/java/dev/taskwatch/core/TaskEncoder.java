package dev.taskwatch.core;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes a Task in the API's JSON form ({@link Task#toJson()}): field names as the API spells them, raw enum values as
 * received, absent fields omitted. Off the polling path, so it builds a tree rather than streaming.
 */
final class TaskEncoder {

    /** Reading BigDecimals back exactly matters for {@code valueToTree} of link properties. */
    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        // Jackson creates and caches its serializers on first use, under a lock. Doing that once here, when the class
        // loads (the client's constructor makes sure that is on the caller's thread), keeps two event loops from
        // contending for it: BlockHound caught exactly that park.
        MAPPER.writeValueAsString(MAPPER.valueToTree(Map.of("k", List.of(1, "v", 1.5))));
    }

    private TaskEncoder() {}

    /** Loads this class, so that the warm-up above runs on the calling thread. */
    static void load() {}

    static String encodeTask(Task task) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", task.id());
        putInstant(n, "created_at", task.createdAt());
        putString(n, "operation", task.operationValue());
        n.put("status", task.statusValue());
        putInstant(n, "updated_at", task.updatedAt());
        putString(n, "error_message", task.errorMessage());
        putString(n, "install_id", task.installId());
        if (!task.links().isEmpty()) {
            ArrayNode links = n.putArray("links");
            for (Task.Link link : task.links()) {
                ObjectNode l = links.addObject();
                l.put("href", link.href());
                l.put("rel", link.rel());
                if (!link.properties().isEmpty()) {
                    l.set("properties", MAPPER.valueToTree(link.properties()));
                }
                if (!link.titles().isEmpty()) {
                    l.set("titles", MAPPER.valueToTree(link.titles()));
                }
                putString(l, "type", link.type());
            }
        }
        putString(n, "package_id", task.packageId());
        putString(n, "package_slug", task.packageSlug());
        if (task.packageVersion() != null) {
            n.put("package_version", task.packageVersion());
        }
        if (!task.warnings().isEmpty()) {
            ArrayNode warnings = n.putArray("warnings");
            for (Warning w : task.warnings()) {
                encodeWarning(warnings.addObject(), w);
            }
        }
        return MAPPER.writeValueAsString(n);
    }

    private static void encodeWarning(ObjectNode w, Warning warning) {
        putString(w, "code", warning.codeValue());
        ArrayNode details = w.putArray("details");
        for (Warning.Detail d : warning.details()) {
            ObjectNode o = details.addObject();
            putString(o, "code", d.codeValue());
            putString(o, "field", d.field());
            putString(o, "message", d.message());
        }
        putString(w, "message", warning.message());
        putString(w, "path", warning.path());
        putString(w, "request_id", warning.requestId());
        if (warning.status() != null) {
            w.put("status", warning.status());
        }
        putInstant(w, "timestamp", warning.timestamp());
    }

    private static void putString(ObjectNode n, String name, @Nullable String value) {
        if (value != null) {
            n.put(name, value);
        }
    }

    private static void putInstant(ObjectNode n, String name, @Nullable Instant value) {
        if (value != null) {
            n.put(name, DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }
}
