package dev.taskwatch.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskwatch.core.CatalogTransportException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.scheduler.Schedulers;
import reactor.test.scheduler.VirtualTimeScheduler;

class WatchOptionsTest {

    /** The longest a test waits in real time for a signal: a regression fails it instead of hanging the build. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void defaultsAreAsDocumented() {
        WatchOptions d = WatchOptions.defaults();
        assertThat(d.initialDelay()).isEqualTo(Duration.ofMillis(1750));
        assertThat(d.maxDelay()).isEqualTo(Duration.ofSeconds(12));
        assertThat(d.multiplier()).isEqualTo(1.25);
        assertThat(d.jitter()).isEqualTo(0.2);
        assertThat(d.timeout()).isNull();
        assertThat(d.notFoundGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.maxConsecutiveErrors()).isEqualTo(10);
        assertThat(d.meterRegistry()).isNull();
        assertThat(UUID.fromString(d.clientRequestIds().get()).version()).isEqualTo(4);
    }

    @Test
    void settersReturnACopyAndLeaveTheOriginalUnchanged() {
        WatchOptions d = WatchOptions.defaults();
        WatchOptions custom = d.initialDelay(Duration.ofMillis(500))
                .maxDelay(Duration.ofMinutes(1))
                .multiplier(1.5)
                .jitter(0)
                .timeout(Duration.ofMinutes(30))
                .notFoundGrace(Duration.ZERO)
                .maxConsecutiveErrors(3);

        assertThat(custom).isNotSameAs(d);
        assertThat(custom.initialDelay()).isEqualTo(Duration.ofMillis(500));
        assertThat(custom.maxDelay()).isEqualTo(Duration.ofMinutes(1));
        assertThat(custom.multiplier()).isEqualTo(1.5);
        assertThat(custom.jitter()).isZero();
        assertThat(custom.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(custom.notFoundGrace()).isZero();
        assertThat(custom.maxConsecutiveErrors()).isEqualTo(3);
        assertThat(d.initialDelay()).isEqualTo(Duration.ofMillis(1750));
        assertThat(d.timeout()).isNull();
        assertThat(WatchOptions.defaults().maxConsecutiveErrors()).isEqualTo(10);
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.initialDelay(Duration.ZERO), "PT0S"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.initialDelay(Duration.ofSeconds(-1)), "PT-1S"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.maxDelay(Duration.ZERO), "PT0S"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.multiplier(0.5), "0.5"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.multiplier(Double.NaN), "NaN"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.multiplier(Double.POSITIVE_INFINITY), "Infinity"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.jitter(1.0), "1.0"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.jitter(-0.1), "-0.1"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.timeout(Duration.ofMillis(-5)), "PT-0.005S"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.notFoundGrace(Duration.ofSeconds(-3)), "PT-3S"),
                // Too long for a long of nanoseconds: deadline arithmetic would overflow.
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.timeout(ChronoUnit.FOREVER.getDuration()), "timeout"),
                Arguments.of(
                        (UnaryOperator<WatchOptions>)
                                o -> o.timeout(Duration.ofNanos(Long.MAX_VALUE).plusNanos(1)),
                        "PT2562047H47M16.854775808S"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.maxDelay(Duration.ofDays(365L * 300)), "maxDelay"),
                Arguments.of(
                        (UnaryOperator<WatchOptions>) o -> o.initialDelay(Duration.ofDays(365L * 300)), "initialDelay"),
                Arguments.of(
                        (UnaryOperator<WatchOptions>) o -> o.notFoundGrace(Duration.ofDays(365L * 300)),
                        "notFoundGrace"),
                Arguments.of((UnaryOperator<WatchOptions>) o -> o.maxConsecutiveErrors(-1), "-1"));
    }

    @Test
    void theLongestTimeoutThatFitsIsAcceptedAndAWatchWithItCompletes() {
        WatchOptions longest = Tasks.ONE_TWO_TEN.timeout(Duration.ofNanos(Long.MAX_VALUE));
        ScriptedClient client = new ScriptedClient(Tasks.response("running"), Tasks.response("completed"));

        reactor.test.StepVerifier.withVirtualTime(
                        () -> TaskWatcher.create(client, longest).watch(Tasks.ZONE, Tasks.TASK))
                .expectNextCount(1)
                .thenAwait(Duration.ofSeconds(1))
                .expectNextCount(1)
                .expectComplete()
                .verify(WAIT);
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidValuesAreRejectedWhenSetWithTheValueInTheMessage(UnaryOperator<WatchOptions> set, String shown) {
        assertThatThrownBy(() -> set.apply(WatchOptions.defaults()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(shown);
    }

    @Test
    void nullsAreRejectedWithTheName() {
        WatchOptions d = WatchOptions.defaults();
        assertThatThrownBy(() -> d.scheduler(null)).hasMessage("scheduler");
        assertThatThrownBy(() -> d.clientRequestIds(null)).hasMessage("clientRequestIds");
        assertThatThrownBy(() -> d.meterRegistry(null)).hasMessage("meterRegistry");
        assertThatThrownBy(() -> d.timeout(null)).hasMessage("timeout");
        assertThatThrownBy(() -> d.doOnRetry(null)).hasMessage("listener");
    }

    @Test
    void defaultSchedulerIsResolvedLazilySoVirtualTimeReplacesIt() {
        WatchOptions options = WatchOptions.defaults();
        assertThat(options.scheduler()).isSameAs(Schedulers.parallel());
        VirtualTimeScheduler time = VirtualTimeScheduler.getOrSet();
        try {
            // Schedulers.parallel() now hands out a cached wrapper of the virtual clock
            time.advanceTimeBy(Duration.ofHours(1));
            assertThat(options.scheduler().now(TimeUnit.MILLISECONDS)).isEqualTo(3_600_000L);
        } finally {
            VirtualTimeScheduler.reset();
        }
        assertThat(options.scheduler().now(TimeUnit.MILLISECONDS)).isGreaterThan(3_600_000L);
    }

    @Test
    void anExplicitSchedulerIsKept() {
        VirtualTimeScheduler time = VirtualTimeScheduler.create();
        assertThat(WatchOptions.defaults().scheduler(time).scheduler()).isSameAs(time);
    }

    @Test
    void defaultClientRequestIdsAreFreshRandomUuids() {
        var ids = WatchOptions.defaults().clientRequestIds();
        assertThat(Stream.generate(ids).limit(1000).distinct().count()).isEqualTo(1000);
    }

    @Test
    void theMeterRegistryIsKeptAsGiven() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();

        WatchOptions withRegistry = WatchOptions.defaults().meterRegistry(registry);

        assertThat(withRegistry.meterRegistry()).isSameAs(registry);
        assertThat(WatchOptions.defaults().meterRegistry()).isNull();
    }

    @Test
    void doOnRetryListenersAddUpInOrderAndLeaveTheOriginalWithout() {
        List<String> calls = new ArrayList<>();
        WatchOptions once = WatchOptions.defaults().doOnRetry(r -> calls.add("first " + r.attempt()));
        WatchOptions twice = once.doOnRetry(r -> calls.add("second " + r.attempt()));
        WatchOptions.RetrySignal signal = new WatchOptions.RetrySignal(
                "z", "t", new CatalogTransportException("reset", null, true), 3, Duration.ofSeconds(2));

        twice.retrying(signal);
        once.retrying(signal);
        WatchOptions.defaults().retrying(signal);

        assertThat(calls).containsExactly("first 3", "second 3", "first 3");
        assertThat(twice.toString()).contains("doOnRetry=set");
        assertThat(WatchOptions.defaults().toString()).contains("doOnRetry=none");
    }
}
