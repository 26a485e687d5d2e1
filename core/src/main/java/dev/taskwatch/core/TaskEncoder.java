package dev.taskwatch.core;

import java.io.StringWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes a Task in the API's JSON form ({@link Task#toJson()}): field names as the API spells them, raw enum values as
 * received, absent fields omitted. Streams with jackson-core's generator, so the library needs no jackson-databind and
 * holds no serializer cache (whose first use takes a lock an event loop would park on).
 */
final class TaskEncoder {

    private static final JsonFactory JSON = new JsonFactory();

    private TaskEncoder() {}

    static String encodeTask(Task task) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(ObjectWriteContext.empty(), out)) {
            g.writeStartObject();
            string(g, "id", task.id());
            instant(g, "created_at", task.createdAt());
            string(g, "operation", task.operationValue());
            string(g, "status", task.statusValue());
            instant(g, "updated_at", task.updatedAt());
            string(g, "error_message", task.errorMessage());
            string(g, "install_id", task.installId());
            if (!task.links().isEmpty()) {
                g.writeName("links");
                g.writeStartArray();
                for (Task.Link link : task.links()) {
                    link(g, link);
                }
                g.writeEndArray();
            }
            string(g, "package_id", task.packageId());
            string(g, "package_slug", task.packageSlug());
            if (task.packageVersion() != null) {
                g.writeName("package_version");
                g.writeNumber(task.packageVersion());
            }
            if (!task.warnings().isEmpty()) {
                g.writeName("warnings");
                g.writeStartArray();
                for (Warning w : task.warnings()) {
                    warning(g, w);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }
        return out.toString();
    }

    private static void link(JsonGenerator g, Task.Link link) {
        g.writeStartObject();
        string(g, "href", link.href());
        string(g, "rel", link.rel());
        if (!link.properties().isEmpty()) {
            g.writeName("properties");
            value(g, link.properties());
        }
        if (!link.titles().isEmpty()) {
            g.writeName("titles");
            value(g, link.titles());
        }
        string(g, "type", link.type());
        g.writeEndObject();
    }

    private static void warning(JsonGenerator g, Warning warning) {
        g.writeStartObject();
        string(g, "code", warning.codeValue());
        g.writeName("details");
        g.writeStartArray();
        for (Warning.Detail d : warning.details()) {
            g.writeStartObject();
            string(g, "code", d.codeValue());
            string(g, "field", d.field());
            string(g, "message", d.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        string(g, "message", warning.message());
        string(g, "path", warning.path());
        string(g, "request_id", warning.requestId());
        if (warning.status() != null) {
            g.writeName("status");
            g.writeNumber(warning.status());
        }
        instant(g, "timestamp", warning.timestamp());
        g.writeEndObject();
    }

    /** A JSON value held as plain Java, as {@link Task.Link#properties()} documents it. */
    private static void value(JsonGenerator g, @Nullable Object v) {
        if (v == null) {
            g.writeNull();
        } else if (v instanceof String s) {
            g.writeString(s);
        } else if (v instanceof Boolean b) {
            g.writeBoolean(b);
        } else if (v instanceof BigDecimal d) {
            g.writeNumber(d);
        } else if (v instanceof BigInteger i) {
            g.writeNumber(i);
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            g.writeNumber(((Number) v).longValue());
        } else if (v instanceof Double || v instanceof Float) {
            g.writeNumber(((Number) v).doubleValue());
        } else if (v instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeName(String.valueOf(e.getKey()));
                value(g, e.getValue());
            }
            g.writeEndObject();
        } else if (v instanceof List<?> list) {
            g.writeStartArray();
            for (Object item : list) {
                value(g, item);
            }
            g.writeEndArray();
        } else {
            throw new IllegalArgumentException("not a JSON value (String, Number, Boolean, List, Map or null): "
                    + v.getClass().getName());
        }
    }

    private static void string(JsonGenerator g, String name, @Nullable String value) {
        if (value != null) {
            g.writeName(name);
            g.writeString(value);
        }
    }

    private static void instant(JsonGenerator g, String name, @Nullable Instant value) {
        if (value != null) {
            g.writeName(name);
            g.writeString(DateTimeFormatter.ISO_INSTANT.format(value));
        }
    }
}
