package dev.taskwatch.core;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the API's shapes, mapped by hand from Jackson's tree so that every rule is visible here: required fields,
 * raw enum values kept as sent, unknown fields ignored, lists never null, RFC 3339 timestamps with any offset.
 */
final class TaskCodec {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    static {
        // Jackson creates and caches its (de)serializers on first use, under a lock. Doing that once here, when the
        // class loads (the client's constructor makes sure that is on the caller's thread), keeps two event loops
        // decoding their first responses from contending for it: BlockHound caught exactly that park.
        MAPPER.readTree("{\"a\":[1.5,2,\"s\",true,null,{}]}");
        MAPPER.writeValueAsString(MAPPER.valueToTree(Map.of("k", List.of(1, "v"))));
    }

    private TaskCodec() {}

    /** Loads this class, so that the warm-up above runs on the calling thread. */
    static void load() {}

    /** Thrown for a document that is not the expected shape; the message says what is wrong, not what was sent. */
    static final class MalformedException extends Exception {
        private static final long serialVersionUID = 1L;

        MalformedException(String message, @Nullable Throwable cause) {
            super(message, cause, false, false);
        }
    }

    // ---------------------------------------------------------------- decoding

    static Task decodeTask(byte[] json) throws MalformedException {
        return task(parseObject(json));
    }

    static JsonNode parseObject(byte[] json) throws MalformedException {
        if (json.length == 0) {
            throw new MalformedException("empty body", null);
        }
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JacksonException e) {
            throw new MalformedException("not valid JSON: " + shorten(e.getOriginalMessage()), e);
        }
        if (root == null || !root.isObject()) {
            throw new MalformedException("expected a JSON object, got " + kind(root), null);
        }
        return root;
    }

    static Task task(JsonNode node) throws MalformedException {
        return new Task(
                requiredString(node, "id"),
                timestamp(node, "created_at"),
                string(node, "operation"),
                requiredString(node, "status"),
                timestamp(node, "updated_at"),
                string(node, "error_message"),
                string(node, "install_id"),
                list(node, "links", TaskCodec::link),
                string(node, "package_id"),
                string(node, "package_slug"),
                decimal(node, "package_version"),
                list(node, "warnings", TaskCodec::warning));
    }

    static Link link(JsonNode node) throws MalformedException {
        requireObject(node, "links[]");
        Map<String, @Nullable Object> properties = new LinkedHashMap<>();
        JsonNode props = node.get("properties");
        if (props != null && !props.isNull()) {
            requireObject(props, "properties");
            for (Map.Entry<String, JsonNode> e : props.properties()) {
                properties.put(e.getKey(), plain(e.getValue()));
            }
        }
        Map<String, String> titles = new LinkedHashMap<>();
        JsonNode t = node.get("titles");
        if (t != null && !t.isNull()) {
            requireObject(t, "titles");
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (!e.getValue().isString()) {
                    throw new MalformedException("titles." + e.getKey() + " must be a string", null);
                }
                titles.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return new Link(
                requiredString(node, "href"), requiredString(node, "rel"), properties, titles, string(node, "type"));
    }

    static Warning warning(JsonNode node) throws MalformedException {
        requireObject(node, "warnings[]");
        return new Warning(
                string(node, "code"),
                list(node, "details", TaskCodec::detail),
                string(node, "message"),
                string(node, "path"),
                string(node, "request_id"),
                integer(node, "status"),
                timestamp(node, "timestamp"));
    }

    static ErrorDetail detail(JsonNode node) throws MalformedException {
        requireObject(node, "details[]");
        return new ErrorDetail(string(node, "code"), string(node, "field"), string(node, "message"));
    }

    /** An error body, read leniently: whatever cannot be understood is left out, never an exception. */
    static @Nullable Warning decodeErrorLeniently(byte[] json) {
        try {
            return warning(parseObject(json));
        } catch (MalformedException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- encoding

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
            for (Link link : task.links()) {
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

    static String encodeWarning(Warning warning) {
        ObjectNode n = MAPPER.createObjectNode();
        encodeWarning(n, warning);
        return MAPPER.writeValueAsString(n);
    }

    private static void encodeWarning(ObjectNode w, Warning warning) {
        putString(w, "code", warning.codeValue());
        ArrayNode details = w.putArray("details");
        for (ErrorDetail d : warning.details()) {
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

    // ---------------------------------------------------------------- field readers

    interface Reader<T> {
        T read(JsonNode node) throws MalformedException;
    }

    private static String requiredString(JsonNode node, String name) throws MalformedException {
        String value = string(node, name);
        if (value == null) {
            throw new MalformedException("missing required field '" + name + "'", null);
        }
        return value;
    }

    private static @Nullable String string(JsonNode node, String name) throws MalformedException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw new MalformedException("field '" + name + "' must be a string, got " + kind(v), null);
        }
        return v.stringValue();
    }

    private static @Nullable BigDecimal decimal(JsonNode node, String name) throws MalformedException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw new MalformedException("field '" + name + "' must be a number, got " + kind(v), null);
        }
        return v.decimalValue();
    }

    private static @Nullable Integer integer(JsonNode node, String name) throws MalformedException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new MalformedException("field '" + name + "' must be an integer, got " + kind(v), null);
        }
        return v.intValue();
    }

    private static @Nullable Instant timestamp(JsonNode node, String name) throws MalformedException {
        String value = string(node, name);
        if (value == null) {
            return null;
        }
        return parseTimestamp(value, name);
    }

    /** RFC 3339: {@code 2026-01-02T03:04:05.678+02:00}, {@code Z} or any offset, {@code T}/{@code t}. */
    static Instant parseTimestamp(String value, String name) throws MalformedException {
        Instant fast = fastUtc(value);
        if (fast != null) {
            return fast;
        }
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new MalformedException(
                    "field '" + name + "' must be an RFC 3339 timestamp, got " + HeaderValues.quote(value), e);
        }
    }

    /** The common shape {@code yyyy-MM-ddTHH:mm:ss[.fraction]Z} without the formatter's allocations; else null. */
    private static @Nullable Instant fastUtc(String v) {
        int n = v.length();
        if (n < 20
                || (v.charAt(n - 1) != 'Z' && v.charAt(n - 1) != 'z')
                || v.charAt(4) != '-'
                || v.charAt(7) != '-'
                || (v.charAt(10) != 'T' && v.charAt(10) != 't')
                || v.charAt(13) != ':'
                || v.charAt(16) != ':') {
            return null;
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
        int nanos = 0;
        if (n > 20) {
            if (v.charAt(19) != '.' || n - 21 > 9 || n - 21 < 1) {
                return null;
            }
            int frac = digits(v, 20, n - 21);
            if (frac < 0) {
                return null;
            }
            nanos = frac;
            for (int i = n - 21; i < 9; i++) {
                nanos *= 10;
            }
        } else if (v.charAt(19) != 'Z' && v.charAt(19) != 'z') {
            return null;
        }
        if (year < 0
                || month < 1
                || month > 12
                || day < 1
                || hour < 0
                || hour > 23
                || minute < 0
                || minute > 59
                || second < 0
                || second > 59) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null; // e.g. February 30th: let the formatter produce the error message
        }
    }

    private static int digits(String v, int from, int count) {
        int out = 0;
        for (int i = from; i < from + count; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            out = out * 10 + (c - '0');
        }
        return out;
    }

    private static <T> List<T> list(JsonNode node, String name, Reader<T> reader) throws MalformedException {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw new MalformedException("field '" + name + "' must be an array, got " + kind(v), null);
        }
        List<T> out = new ArrayList<>(v.size());
        for (JsonNode element : v.values()) {
            out.add(reader.read(element));
        }
        return out;
    }

    private static void requireObject(JsonNode node, String name) throws MalformedException {
        if (!node.isObject()) {
            throw new MalformedException("'" + name + "' must be an object, got " + kind(node), null);
        }
    }

    private static @Nullable Object plain(JsonNode v) {
        if (v.isNull()) {
            return null;
        }
        if (v.isString()) {
            return v.stringValue();
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isNumber()) {
            return v.numberValue();
        }
        if (v.isArray()) {
            List<@Nullable Object> out = new ArrayList<>(v.size());
            for (JsonNode e : v.values()) {
                out.add(plain(e));
            }
            return java.util.Collections.unmodifiableList(out);
        }
        Map<String, @Nullable Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            out.put(e.getKey(), plain(e.getValue()));
        }
        return java.util.Collections.unmodifiableMap(out);
    }

    private static String kind(@Nullable JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "nothing";
        }
        return v.getNodeType().name().toLowerCase(Locale.ROOT);
    }

    private static String shorten(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        String oneLine = message.replaceAll("[\\r\\n]+", " ");
        return oneLine.length() > 160 ? oneLine.substring(0, 160) + "…" : oneLine;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
