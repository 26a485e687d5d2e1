package dev.taskwatch.core;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * RFC 3339 timestamps as the API sends them: {@code 2026-01-02T03:04:05.678+02:00}, {@code Z} or any offset,
 * {@code T}/{@code t}. Every poll carries two, so the usual shapes are parsed without allocating; anything else goes
 * to {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME}, which also words the refusal.
 */
final class Rfc3339 {

    private Rfc3339() {}

    /**
     * The instant {@code value} names.
     *
     * @throws DateTimeParseException if it is not an RFC 3339 timestamp
     */
    static Instant parse(String value) {
        Instant fast = parseFast(value);
        if (fast != null) {
            return fast;
        }
        return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                .toInstant();
    }

    /**
     * The usual shapes, {@code yyyy-MM-ddTHH:mm:ss[.fraction]} then {@code Z} or {@code ±HH:MM}, without the
     * formatter's allocations (about 1.8 KB per timestamp); null for anything else, which the formatter then accepts
     * or names. Package-private so a test can hold it to the formatter: its mistakes would otherwise hide behind the
     * fallback.
     */
    static @Nullable Instant parseFast(String v) {
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
}
