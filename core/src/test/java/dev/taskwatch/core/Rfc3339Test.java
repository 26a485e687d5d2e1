package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The allocation-free timestamp parser against {@code DateTimeFormatter}, the reference it stands in for: it must take
 * the usual shapes itself, and for anything it takes, agree with the formatter to the nanosecond. Its mistakes could
 * not show through {@code Rfc3339.parse} alone, whose fallback to the formatter would hide a fast path that
 * gives up too often, and a wrong answer only where the inputs happen to differ.
 */
class Rfc3339Test {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-12-01T10:20:30Z",
                "2026-12-01t10:20:30z",
                "2026-01-01T00:00:00Z",
                "2026-12-31T23:59:59Z",
                "1970-01-01T00:00:00Z",
                "0001-01-01T00:00:00Z",
                "0000-01-01T00:00:00Z",
                "9999-12-31T23:59:59Z",
                "2024-02-29T12:00:00Z",
                "2026-12-01T10:20:30.1Z",
                "2026-12-01T10:20:30.123456789Z",
                "2026-12-01T10:20:30.000000001Z",
                "2026-12-01T10:20:30+00:00",
                "2026-12-01T10:20:30+05:30",
                "2026-12-01T10:20:30-08:00",
                "2026-12-01T10:20:30.5-00:45",
                "2026-12-01T10:20:30+17:59",
                "2026-12-01T10:20:30-17:59",
                "2026-12-01T00:00:00+01:00",
            })
    void usualShapesTakeTheFastPathAndAgreeWithTheFormatter(String value) {
        assertThat(Rfc3339.parseFast(value)).isNotNull().isEqualTo(reference(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "2026-12-01T10:20:30", // no offset
                "2026-12-01T10:20:3Z",
                "2026-12-01 10:20:30Z",
                "2026/12/01T10:20:30Z",
                "2026-12-01T10-20-30Z",
                "2026-13-01T10:20:30Z",
                "2026-00-01T10:20:30Z",
                "2026-12-00T10:20:30Z",
                "2026-12-32T10:20:30Z",
                "2026-02-30T10:20:30Z",
                "2026-12-01T24:00:00Z",
                "2026-12-01T10:60:30Z",
                "2026-12-01T10:20:60Z",
                "2026-12-01T10:20:30.Z",
                "2026-12-01T10:20:30.1234567890Z",
                "2026-12-01T10:20:30,5Z",
                "2026-12-01T10:20:30.5x+01:00",
                "2026-12-01T10:20:30+18:00", // the formatter's limit: left to it
                "2026-12-01T10:20:30-18:00",
                "2026-12-01T10:20:30+05:60",
                "2026-12-01T10:20:30+0530",
                "2026-12-01T10:20:30 05:30",
                "2026-12-01T10:20:30+05-30",
                "2026-12-01T10:20:30+a5:30",
                "2026-12-01T10:20:30+05:3a",
                "+2026-12-01T10:20:30Z",
                "20261-12-01T10:20:30Z",
            })
    void unusualOrInvalidShapesAreLeftToTheFormatter(String value) {
        assertThat(Rfc3339.parseFast(value)).isNull();
    }

    @Test
    void everyCharacterReplacedStillAgreesOrGivesUp() {
        String[] bases = {"2026-12-01T10:20:30.123+05:30", "2026-12-01T10:20:30Z", "2026-12-01T10:20:30.5Z"};
        String replacements = "x/ :.+-Zz0195T";
        int checked = 0;
        for (String base : bases) {
            for (int i = 0; i < base.length(); i++) {
                for (char c : replacements.toCharArray()) {
                    String value = base.substring(0, i) + c + base.substring(i + 1);
                    assertAgrees(value);
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(500);
    }

    @Test
    void randomInstantsAtRandomOffsetsAndPrecisionsAgree() {
        SplittableRandom random = new SplittableRandom(20261201);
        for (int i = 0; i < 5_000; i++) {
            long second = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 1 to 9999
            int digits = random.nextInt(10);
            int fraction = digits == 0 ? 0 : random.nextInt((int) Math.pow(10, digits));
            int offsetMinutes = random.nextInt(-(17 * 60 + 59), 17 * 60 + 60);
            ZoneOffset offset = ZoneOffset.ofTotalSeconds(offsetMinutes * 60);
            OffsetDateTime time = Instant.ofEpochSecond(second).atOffset(offset);
            if (time.getYear() < 1 || time.getYear() > 9999) {
                continue;
            }
            String value = String.format(
                    Locale.ROOT,
                    "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                    time.getYear(),
                    time.getMonthValue(),
                    time.getDayOfMonth(),
                    time.getHour(),
                    time.getMinute(),
                    time.getSecond(),
                    digits == 0 ? "" : "." + String.format(Locale.ROOT, "%0" + digits + "d", fraction),
                    offset.getTotalSeconds() == 0 && random.nextBoolean() ? "Z" : zone(offsetMinutes));

            assertThat(Rfc3339.parseFast(value)).as(value).isNotNull().isEqualTo(reference(value));
        }
    }

    private static String zone(int offsetMinutes) {
        int abs = Math.abs(offsetMinutes);
        return String.format(Locale.ROOT, "%s%02d:%02d", offsetMinutes < 0 ? "-" : "+", abs / 60, abs % 60);
    }

    private static void assertAgrees(String value) {
        Instant fast = Rfc3339.parseFast(value);
        Instant reference = reference(value);
        if (reference == null) {
            assertThat(fast).as("the formatter rejects %s", value).isNull();
        } else if (fast != null) {
            assertThat(fast).as(value).isEqualTo(reference);
        }
    }

    private static @Nullable Instant reference(String value) {
        try {
            return OffsetDateTime.parse(value.toUpperCase(Locale.ROOT), DateTimeFormatter.ISO_OFFSET_DATE_TIME)
                    .toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
