package dev.taskwatch.samples;

import dev.taskwatch.core.internal.SafeText;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine;

/**
 * Reads an RFC 3339 instant with any offset: {@code 2026-12-01T10:00:00Z}, {@code 2026-12-01T11:00:00.5+01:00} (a
 * lower-case {@code t} or {@code z} too, as RFC 3339 allows). A local time without an offset is refused: a deadline
 * that means another instant on another runner is no deadline.
 */
final class InstantConverter implements CommandLine.ITypeConverter<Instant> {

    @Override
    public Instant convert(String value) {
        return parse(value);
    }

    static Instant parse(String value) {
        try {
            return OffsetDateTime.parse(value.trim().toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            throw new CommandLine.TypeConversionException("'" + SafeText.escape(value, 64)
                    + "' is not an RFC 3339 instant with an offset, such as 2026-12-01T10:00:00Z");
        }
    }
}
