package dev.taskwatch.core;

import dev.taskwatch.core.internal.SafeText;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * How every document from the API is read: exactly one JSON object, duplicate keys rejected, read from Jackson's token
 * stream with no tree in between, by readers that say which field is wrong and never quote what was sent unescaped.
 * The readers for each shape ({@link TaskDecoder}, {@link ApiErrors}, {@link TokenResponse}) are built from the field
 * readers here, each called on its value's first token.
 */
final class StrictJson {

    /**
     * The parser factory for every document we read. A duplicate key is an error: which copy wins would be up to the
     * parser. Jackson's default limits (nesting depth 500, numbers of 1000 digits) stand against hostile input.
     */
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private StrictJson() {}

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

    static <T> T required(@Nullable T value, String name) throws MalformedException {
        if (value == null) {
            throw new MalformedException("missing required field '" + name + "'", null);
        }
        return value;
    }

    static @Nullable String string(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedException("field '" + name + "' must be a string, got " + kind(t), null);
    }

    /**
     * As {@link #string(JsonParser, String)}, giving a value equal to one of {@code known} as that instance: values
     * every poll repeats then cost no allocation, and a watch that holds its last Task holds no copy of them.
     */
    static @Nullable String string(JsonParser p, String name, String[] known) throws MalformedException {
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

    static @Nullable BigDecimal decimal(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDecimalValue(); // exactly as sent: 12 stays 12, 12.0 stays 12.0
        }
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        throw new MalformedException("field '" + name + "' must be a number, got " + kind(t), null);
    }

    static @Nullable Integer integer(JsonParser p, String name) throws MalformedException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() != JsonParser.NumberType.INT) {
            throw new MalformedException("field '" + name + "' must be an integer, got " + kind(t), null);
        }
        return p.getIntValue();
    }

    static @Nullable Instant timestamp(JsonParser p, String name) throws MalformedException {
        String value = string(p, name);
        return value == null ? null : parseTimestamp(value, name);
    }

    /** An RFC 3339 timestamp ({@link Rfc3339}) in field {@code name}. */
    static Instant parseTimestamp(String value, String name) throws MalformedException {
        try {
            return Rfc3339.parse(value);
        } catch (DateTimeParseException e) {
            throw new MalformedException(
                    "field '" + name + "' must be an RFC 3339 timestamp, got " + RequestValues.quote(value), e);
        }
    }

    static <T> List<T> list(JsonParser p, String name, Reader<T> element) throws MalformedException {
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

    static void requireObject(JsonParser p, String name) throws MalformedException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new MalformedException("'" + name + "' must be an object, got " + kind(p.currentToken()), null);
        }
    }

    /** Any JSON value as plain Java: String, Integer/Long/BigInteger, BigDecimal, Boolean, List, Map or null. */
    static @Nullable Object plain(JsonParser p) {
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

    private static String shorten(@Nullable String message) {
        if (message == null) {
            return "unreadable";
        }
        return SafeText.escape(message, 160);
    }
}
