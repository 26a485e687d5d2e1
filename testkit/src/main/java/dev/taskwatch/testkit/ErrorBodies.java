package dev.taskwatch.testkit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** The API's error shape, written by hand: it is built per request, and this keeps it cheap. */
final class ErrorBodies {

    static final byte[] HTML_BAD_GATEWAY = ("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
                    + "<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n")
            .getBytes(StandardCharsets.US_ASCII);

    private ErrorBodies() {}

    /** The code the API uses for a status. */
    static String codeFor(int status) {
        return switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404, 405 -> "not_found";
            case 409 -> "conflict";
            case 422 -> "validation_error";
            case 429 -> "rate_limit_exceeded";
            case 502, 503, 504 -> "service_unavailable";
            default -> status >= 500 ? "internal_error" : "bad_request";
        };
    }

    /**
     * {@code {code, message, details:[], path, request_id, status, timestamp}}, plus the RFC 6749 {@code error} and
     * {@code error_description} when {@code oauthError} is given (token endpoint answers).
     */
    static byte[] error(
            int status,
            String code,
            String message,
            String path,
            String requestId,
            Instant timestamp,
            @Nullable String oauthError) {
        StringBuilder sb = new StringBuilder(160 + path.length() + message.length());
        sb.append("{\"code\":");
        string(sb, code);
        sb.append(",\"message\":");
        string(sb, message);
        sb.append(",\"details\":[],\"path\":");
        string(sb, path);
        sb.append(",\"request_id\":");
        string(sb, requestId);
        sb.append(",\"status\":").append(status).append(",\"timestamp\":\"");
        sb.append(timestamp).append('"');
        if (oauthError != null) {
            sb.append(",\"error\":");
            string(sb, oauthError);
            sb.append(",\"error_description\":");
            string(sb, message);
        }
        return sb.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }
}
