package dev.taskwatch.core;

import dev.taskwatch.core.internal.SafeText;
import java.util.Objects;

/**
 * What the client puts into a request, checked before any I/O: ids that go into a path segment, the client request id
 * and the secrets that go into headers. A refusal shows the value as {@link #quote} does.
 */
final class RequestValues {

    /** The longest id or client request id accepted. */
    private static final int MAX_LENGTH = 128;

    private RequestValues() {}

    /** An id safe to put in a path segment as is: 1–128 unreserved characters, not {@code .} or {@code ..}. */
    static String requireId(String value, String name) {
        Objects.requireNonNull(value, name);
        if (!isId(value) || value.equals(".") || value.equals("..")) {
            throw new IllegalArgumentException(name + " must be 1-" + MAX_LENGTH
                    + " characters of [A-Za-z0-9._~-] and not '.' or '..', got " + quote(value));
        }
        return value;
    }

    private static boolean isId(String value) {
        int n = value.length();
        if (n < 1 || n > MAX_LENGTH) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = value.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '.'
                    || c == '_'
                    || c == '~'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A client request id: 1–128 printable ASCII characters (so no CR, LF or other control character). */
    static String requireClientRequestId(String value) {
        Objects.requireNonNull(value, "clientRequestId");
        if (value.isEmpty() || value.length() > MAX_LENGTH || !printableAscii(value)) {
            throw new IllegalArgumentException("clientRequestId must be 1-" + MAX_LENGTH
                    + " printable ASCII characters without CR/LF, got " + quote(value));
        }
        return value;
    }

    /** A secret: non-blank printable ASCII. The value itself never appears in the message. */
    static String requireToken(String value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isBlank() || !printableAscii(value)) {
            throw new IllegalArgumentException(name + " must be non-blank printable ASCII (value not shown)");
        }
        return value;
    }

    private static boolean printableAscii(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }

    /**
     * A refused value as this package's messages show it (a bad id, a token type, a timestamp): quoted, escaped by
     * {@link SafeText}, cut after 40 characters.
     */
    static String quote(String value) {
        return '"' + SafeText.escape(value, 40) + '"';
    }
}
