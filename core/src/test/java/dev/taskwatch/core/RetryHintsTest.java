package dev.taskwatch.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The hint parser on its own, at its edges: the boundaries of the one-day clamp, dates either side of now, and which
 * header wins. The HTTP-level cases (a hint on a 429, a 503, a 200) are in {@link CatalogTasksClientTest}.
 */
class RetryHintsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final long DAY_SECONDS = 86_400;
    private static final long DAY_MILLIS = 86_400_000;

    @Test
    void millisecondsWinOverSeconds() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Retry-After", "9").add("retry-after-ms", "1200");

        assertThat(RetryHints.from(headers, CLOCK)).isEqualTo(Duration.ofMillis(1200));
    }

    @Test
    void secondsAreReadWhenMillisecondsAreGarbage() {
        HttpHeaders headers = new DefaultHttpHeaders().add("Retry-After", "9").add("retry-after-ms", "soon");

        assertThat(RetryHints.from(headers, CLOCK)).isEqualTo(Duration.ofSeconds(9));
    }

    @Test
    void noHeaderIsNoHint() {
        assertThat(RetryHints.from(new DefaultHttpHeaders(), CLOCK)).isNull();
    }

    @Test
    void secondsJustBelowADayAreKept() {
        assertThat(RetryHints.parseRetryAfter(String.valueOf(DAY_SECONDS - 1), CLOCK))
                .isEqualTo(Duration.ofSeconds(DAY_SECONDS - 1));
    }

    @ParameterizedTest
    @ValueSource(longs = {DAY_SECONDS, DAY_SECONDS + 1, Long.MAX_VALUE})
    void secondsFromADayOnAreADay(long seconds) {
        assertThat(RetryHints.parseRetryAfter(String.valueOf(seconds), CLOCK)).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void millisecondsAtTheEdgesOfADay() {
        assertThat(RetryHints.parseMillis(String.valueOf(DAY_MILLIS - 1))).isEqualTo(Duration.ofMillis(DAY_MILLIS - 1));
        assertThat(RetryHints.parseMillis(String.valueOf(DAY_MILLIS))).isEqualTo(Duration.ofDays(1));
        assertThat(RetryHints.parseMillis(String.valueOf(DAY_MILLIS + 1))).isEqualTo(Duration.ofDays(1));
        assertThat(RetryHints.parseMillis(String.valueOf(Long.MAX_VALUE))).isEqualTo(Duration.ofDays(1));
        assertThat(RetryHints.parseMillis("1" + Long.MAX_VALUE)).isEqualTo(Duration.ofDays(1));
        assertThat(RetryHints.parseMillis("0")).isEqualTo(Duration.ZERO);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", " ", "-1", "+5", "1.5", "0x10", "5s", "١٢"})
    void anythingButDigitsIsNoHint(String value) {
        assertThat(RetryHints.parseMillis(value)).isNull();
        assertThat(RetryHints.parseRetryAfter(value, CLOCK)).isNull();
    }

    @Test
    void dateInTheFutureIsTheTimeUntilIt() {
        assertThat(RetryHints.parseRetryAfter("Tue, 01 Dec 2026 10:00:42 GMT", CLOCK))
                .isEqualTo(Duration.ofSeconds(42));
    }

    @Test
    void dateNowOrInThePastIsZero() {
        assertThat(RetryHints.parseRetryAfter("Tue, 01 Dec 2026 10:00:00 GMT", CLOCK))
                .isEqualTo(Duration.ZERO);
        assertThat(RetryHints.parseRetryAfter("Tue, 01 Dec 2026 09:59:59 GMT", CLOCK))
                .isEqualTo(Duration.ZERO);
    }

    @Test
    void dateMoreThanADayAheadIsADay() {
        assertThat(RetryHints.parseRetryAfter("Thu, 03 Dec 2026 10:00:00 GMT", CLOCK))
                .isEqualTo(Duration.ofDays(1));
        assertThat(RetryHints.parseRetryAfter("Wed, 02 Dec 2026 09:59:59 GMT", CLOCK))
                .isEqualTo(Duration.ofDays(1).minusSeconds(1));
    }

    @Test
    void surroundingBlanksAreIgnored() {
        assertThat(RetryHints.parseMillis(" 250 ")).isEqualTo(Duration.ofMillis(250));
        assertThat(RetryHints.parseRetryAfter("  Tue, 01 Dec 2026 10:00:05 GMT ", CLOCK))
                .isEqualTo(Duration.ofSeconds(5));
    }
}
