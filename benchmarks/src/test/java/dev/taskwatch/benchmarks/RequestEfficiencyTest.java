package dev.taskwatch.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class RequestEfficiencyTest {

    private final long[] durations = RequestEfficiency.durations(7, 400);

    @Test
    void durationsAreLogNormalWithMedianTwentySecondsAndP95TwoMinutes() {
        long[] many = RequestEfficiency.durations(42, 20_000);
        long[] sorted = many.clone();
        Arrays.sort(sorted);
        assertThat(sorted[sorted.length / 2] / 1000.0).isCloseTo(20.0, within(1.0));
        assertThat(sorted[(int) (sorted.length * 0.95)] / 1000.0).isCloseTo(120.0, within(10.0));
        assertThat(RequestEfficiency.durations(42, 20_000)).containsExactly(many);
    }

    @Test
    void fixedIntervalDetectsWithinOneInterval() {
        RequestEfficiency.Outcome o = RequestEfficiency.fixed(durations, Duration.ofSeconds(2));
        assertThat(o.p99DetectSeconds()).isLessThanOrEqualTo(2.0);
        assertThat(o.meanDetectSeconds()).isCloseTo(1.0, within(0.15));
    }

    @Test
    void pollerFluxOnVirtualTimeMatchesItsFixedInterval() {
        RequestEfficiency.Outcome azure = RequestEfficiency.azurePollerFlux(durations, Duration.ofSeconds(1));
        RequestEfficiency.Outcome fixed = RequestEfficiency.fixed(durations, Duration.ofSeconds(1));
        assertThat(azure.meanRequests()).isEqualTo(fixed.meanRequests());
        assertThat(azure.p95DetectSeconds()).isEqualTo(fixed.p95DetectSeconds());
    }

    @Test
    void awsWaiterDefaultIsAFixedFiveSecondSchedule() {
        RequestEfficiency.Outcome aws = RequestEfficiency.awsWaiter(durations, null, "aws", "default");
        RequestEfficiency.Outcome fixed = RequestEfficiency.fixed(durations, Duration.ofSeconds(5));
        assertThat(aws.meanRequests()).isEqualTo(fixed.meanRequests());
        assertThat(aws.p50DetectSeconds()).isEqualTo(fixed.p50DetectSeconds());
    }
}
