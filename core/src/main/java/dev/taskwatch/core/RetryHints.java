package dev.taskwatch.core;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/** Reads a server's "ask again later" hint: {@code retry-after-ms}, else {@code Retry-After} (seconds or a date). */
final class RetryHints {

    /** Hints beyond this are clamped: a day is already "stop polling", and it keeps timer arithmetic safe. */
    static final Duration MAX_HINT = Duration.ofDays(1);

    private static final AsciiString RETRY_AFTER_MS = AsciiString.cached("retry-after-ms");

    private RetryHints() {}

    static @Nullable Duration from(HttpHeaders headers, Clock clock) {
        Duration ms = parseMillis(headers.get(RETRY_AFTER_MS));
        return ms != null ? ms : parseRetryAfter(headers.get(HttpHeaderNames.RETRY_AFTER), clock);
    }

    /** A non-negative integer of milliseconds; anything else is no hint. */
    static @Nullable Duration parseMillis(@Nullable String value) {
        Long n = nonNegativeInteger(value);
        return n == null ? null : clamp(n == Long.MAX_VALUE ? MAX_HINT : Duration.ofMillis(n));
    }

    /** Delay-seconds or an HTTP-date (RFC 9110 §10.2.3); a date in the past means now; garbage is no hint. */
    static @Nullable Duration parseRetryAfter(@Nullable String value, Clock clock) {
        if (value == null) {
            return null;
        }
        Long seconds = nonNegativeInteger(value);
        if (seconds != null) {
            return seconds >= MAX_HINT.getSeconds() ? MAX_HINT : Duration.ofSeconds(seconds);
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration d = Duration.between(clock.instant(), at.toInstant());
            return d.isNegative() ? Duration.ZERO : clamp(d);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static @Nullable Long nonNegativeInteger(@Nullable String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        // No length limit: every digit string is a number, and one too long for a long is clamped by the caller like
        // any other enormous hint (Netty already caps a header line at 8 KiB), so more digits never mean less wait.
        if (v.isEmpty()) {
            return null;
        }
        for (int i = 0; i < v.length(); i++) {
            if (v.charAt(i) < '0' || v.charAt(i) > '9') {
                return null;
            }
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException tooBig) {
            return Long.MAX_VALUE;
        }
    }

    private static Duration clamp(Duration d) {
        return d.compareTo(MAX_HINT) > 0 ? MAX_HINT : d;
    }
}
