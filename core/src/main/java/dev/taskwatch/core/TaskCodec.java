package dev.taskwatch.core;

import dev.taskwatch.core.internal.SafeText;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON for the API's shapes. Decoding reads Jackson's token stream straight into the model, with no tree in between,
 * and every rule is visible here: required fields, raw enum values kept as sent, unknown fields skipped, duplicate
 * keys rejected, lists never null, RFC 3339 timestamps with any offset. Encoding (off the polling path) builds a tree.
 */
final class TaskCodec {

    /**
     * The parser factory for every document we read. A duplicate key is an error: which copy wins would be up to the
     * parser. Jackson's default limits (nesting depth 500, numbers of 1000 digits) stand against hostile input.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Encoding only. Reading BigDecimals back exactly matters for {@code valueToTree} of link properties. */
    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    /**
     * The wire values every poll repeats. Decoded as these instances rather than as new strings: a poll allocates
     * none of them, and a watch that holds its last Task holds no copy of them.
     */
    private static final String[] STATUSES = Arrays.stream(TaskStatus.values())
            .map(TaskStatus::wireValue)
            .filter(Objects::nonNull)
            .toArray(String[]::new);

    private static final String[] OPERATIONS = Arrays.stream(TaskOperation.values())
            .map(TaskOperation::wireValue)
            .filter(Objects::nonNull)
            .toArray(String[]::new);

    static {
        // Jackson creates and caches its serializers on first use, under a lock. Doing that once here, when the class
        // loads (the client's constructor makes sure that is on the caller's thread), keeps two event loops from
        // contending for it: BlockHound caught exactly that park. The decode loads the parser's classes here too.
        MAPPER.writeValueAsString(MAPPER.valueToTree(Map.of("k", List.of(1, "v", 1.5))));
        try {
            decodeTask(("{\"id\":\"t\",\"status\":\"running\",\"created_at\":\"2026-01-01T00:00:00Z\","
                            + "\"package_version\":1,\"links\":[{\"href\":\"#\",\"rel\":\"r\","
                            + "\"properties\":{\"a\":[1.5,true,null]}}],\"x\":{}}")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (MalformedException e) {
            throw new IllegalStateException(e);
        }
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

    /** Reads one JSON object: called on its {@code START_OBJECT}, returns on its {@code END_OBJECT}. */
    interface Reader<T> {
        T read(JsonParser p) throws MalformedException;
    }

    // ---------------------------------------------------------------- decoding

    static Task decodeTask(byte[] json) throws MalformedException {
        return decodeTask(json, 0, json.length);
    }

    static Task decodeTask(byte[] json, int offset, int length) throws MalformedException {
        return decode(json, offset, length, TaskCodec::task);
    }

    /** An error body, read leniently: whatever cannot be understood is left out, never an exception. */
    static @Nullable Warning decodeErrorLeniently(byte[] json, int offset, int length) {
        try {
            return decode(json, offset, length, TaskCodec::warning);
        } catch (MalformedException e) {
            return null;
        }
    }

    /**
     * The one JSON object in {@code json[offset, offset + length)}, read by {@code reader}. Anything but exactly one
     * object (nothing, another kind of value, trailing content) and any syntax error is a {@link MalformedException}.
     */
    static <T> T decode(byte[] json, int offset, int length, Reader<T> reader) throws MalformedException {
        if (length == 0) {
            throw new MalformedException("empty body", null);
        }
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), json, offset, length)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedException("expected a JSON object, got " + kind(first), null);
            }
            T value = reader.read(p);
            if (p.nextToken() != null) {
                throw new MalformedException("not valid JSON: more content after the object", null);
            }
            return value;
        } catch (JacksonException e) {
            throw new MalformedException("not valid JSON: " + shorten(e.getOriginalMessage()), e);
        }
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
                case "links" -> links = list(p, name, TaskCodec::link);
                case "package_id" -> packageId = string(p, name);
                case "package_slug" -> packageSlug = string(p, name);
                case "package_version" -> packageVersion = decimal(p, name);
                case "warnings" -> warnings = list(p, name, TaskCodec::warning);
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

    private static Warning warning(JsonParser p) throws MalformedException {
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
                case "details" -> details = list(p, name, TaskCodec::detail);
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

    // ---------------------------------------------------------------- value readers (on the value's first token)

    private static <T> T required(@Nullable T value, String name) throws MalformedException {
        if (value == null) {
            throw new MalformedException("missing required field '" + name + "'", null);
        }
        return value;
    }

    private static @Nullable String string(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedException("field '" + name + "' must be a string, got " + kind(t), null);
    }

    /** As {@link #string(JsonParser, String)}, giving a value equal to one of {@code known} as that instance. */
    private static @Nullable String string(JsonParser p, String name, String[] known) throws MalformedException {
        if (p.currentToken() == JsonToken.VALUE_STRING) {
            char[] chars = p.getStringCharacters();
            int offset = p.getStringOffset();
            int length = p.getStringLength();
            for (String value : known) {
                if (equal(value, chars, offset, length)) {
                    return value;
                }
            }
        }
        return string(p, name);
    }

    private static boolean equal(String value, char[] chars, int offset, int length) {
        if (value.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (value.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    private static @Nullable BigDecimal decimal(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue(); // exactly as sent: 12 stays 12, 12.0 stays 12.0
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedException("field '" + name + "' must be a number, got " + kind(t), null);
    }

    private static @Nullable Integer integer(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new MalformedException("field '" + name + "' must be an integer, got " + kind(t), null);
        }
        return p.getIntValue();
    }

    private static @Nullable Instant timestamp(JsonParser p, String name) throws MalformedException {
        String value = string(p, name);
        return value == null ? null : parseTimestamp(value, name);
    }

    private static <T> List<T> list(JsonParser p, String name, Reader<T> element) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return List.of();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new MalformedException("field '" + name + "' must be an array, got " + kind(t), null);
        }
        List<T> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(element.read(p));
        }
        return out;
    }

    private static void requireObject(JsonParser p, String name) throws MalformedException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedException("'" + name + "' must be an object, got " + kind(p.currentToken()), null);
        }
    }

    /** Any JSON value as plain Java: String, Integer/Long/BigInteger, BigDecimal, Boolean, List, Map or null. */
    private static @Nullable Object plain(JsonParser p) {
        switch (p.currentToken()) {
            case VALUE_STRING:
                return p.getString();
            case VALUE_NUMBER_INT:
                return p.getNumberValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDecimalValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case START_ARRAY:
                List<@Nullable Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(plain(p));
                }
                return Collections.unmodifiableList(list);
            case START_OBJECT:
                Map<String, @Nullable Object> map = new LinkedHashMap<>();
                for (String name = p.nextName(); name != null; name = p.nextName()) {
                    p.nextToken();
                    map.put(name, plain(p));
                }
                return Collections.unmodifiableMap(map);
            default:
                return null; // VALUE_NULL: the parser yields no other token where a value starts
        }
    }

    private static String kind(@Nullable JsonToken t) {
        if (t == null) {
            return "nothing";
        }
        return switch (t) {
            case START_OBJECT -> "object";
            case START_ARRAY -> "array";
            case VALUE_STRING -> "string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "number";
            case VALUE_TRUE, VALUE_FALSE -> "boolean";
            case VALUE_NULL -> "null";
            default -> t.name().toLowerCase(Locale.ROOT);
        };
    }

    /** RFC 3339: {@code 2026-01-02T03:04:05.678+02:00}, {@code Z} or any offset, {@code T}/{@code t}. */
    static Instant parseTimestamp(String value, String name) throws MalformedException {
        Instant fast = fastTimestamp(value);
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

    /**
     * The usual shapes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]} then {@code Z} or {@code ±HH:MM}, without the
     * formatter's allocations (about 1.8 KB per timestamp); null for anything else, which the formatter then accepts
     * or names. Package-private so a test can hold it to the formatter: its mistakes would otherwise hide behind the
     * fallback.
     */
    static @Nullable Instant fastTimestamp(String v) {
        int n = v.length();
        if (n < 20
                || v.charAt(4) != '-'
                || v.charAt(7) != '-'
                || (v.charAt(10) != 'T' && v.charAt(10) != 't')
                || v.charAt(13) != ':'
                || v.charAt(16) != ':') {
            return null;
        }
        int zone; // where Z or the offset starts
        int offsetSeconds = 0;
        if (v.charAt(n - 1) == 'Z' || v.charAt(n - 1) == 'z') {
            zone = n - 1;
        } else {
            zone = n - 6;
            if (zone < 19 || (v.charAt(zone) != '+' && v.charAt(zone) != '-') || v.charAt(n - 3) != ':') {
                return null;
            }
            int offsetHours = digits(v, zone + 1, 2);
            int offsetMinutes = digits(v, n - 2, 2);
            if (offsetHours < 0 || offsetHours > 17 || offsetMinutes < 0 || offsetMinutes > 59) {
                return null; // ±18:00 is the formatter's limit: it decides there
            }
            offsetSeconds = (v.charAt(zone) == '-' ? -1 : 1) * (offsetHours * 3_600 + offsetMinutes * 60);
        }
        int nanos = 0;
        if (zone > 19) {
            int count = zone - 20;
            if (v.charAt(19) != '.' || count < 1 || count > 9) {
                return null;
            }
            nanos = digits(v, 20, count);
            if (nanos < 0) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int year = digits(v, 0, 4);
        int month = digits(v, 5, 2);
        int day = digits(v, 8, 2);
        int hour = digits(v, 11, 2);
        int minute = digits(v, 14, 2);
        int second = digits(v, 17, 2);
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
            // The epoch second by hand: a LocalDateTime would add a LocalTime and itself to every timestamp.
            long epochDay = LocalDate.of(year, month, day).toEpochDay();
            return Instant.ofEpochSecond(
                    epochDay * 86_400 + hour * 3_600 + minute * 60 + second - offsetSeconds, nanos);
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

    private static String shorten(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        return SafeText.escape(message, 160);
    }
}
