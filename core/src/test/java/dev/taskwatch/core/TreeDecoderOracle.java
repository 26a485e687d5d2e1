package dev.taskwatch.core;

import dev.taskwatch.core.StrictJson.MalformedException;
import dev.taskwatch.core.internal.SafeText;
import java.math.BigDecimal;
import java.time.Instant;
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

/**
 * The reference for {@link TaskDecoder}'s streaming decoder: the decoder it replaced, reading Jackson's tree and mapping
 * it by hand, kept unchanged (timestamps aside, which both parse with {@link StrictJson#parseTimestamp}) so that
 * {@link TaskDecoderDifferentialTest} can check the two agree on every document it has.
 */
final class TreeDecoderOracle {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private TreeDecoderOracle() {}

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
                list(node, "links", TreeDecoderOracle::link),
                string(node, "package_id"),
                string(node, "package_slug"),
                decimal(node, "package_version"),
                list(node, "warnings", TreeDecoderOracle::warning));
    }

    static Task.Link link(JsonNode node) throws MalformedException {
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
        return new Task.Link(
                requiredString(node, "href"), requiredString(node, "rel"), properties, titles, string(node, "type"));
    }

    static Warning warning(JsonNode node) throws MalformedException {
        requireObject(node, "warnings[]");
        return new Warning(
                string(node, "code"),
                list(node, "details", TreeDecoderOracle::detail),
                string(node, "message"),
                string(node, "path"),
                string(node, "request_id"),
                integer(node, "status"),
                timestamp(node, "timestamp"));
    }

    static Warning.Detail detail(JsonNode node) throws MalformedException {
        requireObject(node, "details[]");
        return new Warning.Detail(string(node, "code"), string(node, "field"), string(node, "message"));
    }

    /** An error body, read leniently: whatever cannot be understood is left out, never an exception. */
    static @Nullable Warning decodeErrorLeniently(byte[] json) {
        try {
            return warning(parseObject(json));
        } catch (MalformedException e) {
            return null;
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
        return StrictJson.parseTimestamp(value, name);
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
        return SafeText.escape(message, 160);
    }
}
