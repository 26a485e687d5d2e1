package dev.taskwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void delaysGrowByTheMultiplierUpToTheCapAndStayThere() {
        Schedule schedule = Schedule.parse("200ms,2,2s");

        assertThat(IntStream.range(0, 8).mapToObj(n -> schedule.delay(n).toMillis()))
                .containsExactly(200L, 400L, 800L, 1600L, 2000L, 2000L, 2000L, 2000L);
        assertThat(schedule.delay(1_000_000)).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void printsAsItIsWritten() {
        assertThat(Schedule.parse("200ms,2,2s")).hasToString("200ms,2,2s");
        assertThat(Schedule.parse("5s, 1.5, 1m")).hasToString("5s,1.5,60s");
    }

    @Test
    void refusesAScheduleThatCannotBeRun() {
        assertThatThrownBy(() -> Schedule.parse("2s,2,1s")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Schedule.parse("200,2,2s"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unit");
        assertThatThrownBy(() -> Schedule.parse("200ms,0.5,2s")).isInstanceOf(IllegalArgumentException.class);
    }
}
