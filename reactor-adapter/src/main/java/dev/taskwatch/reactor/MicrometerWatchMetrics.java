package dev.taskwatch.reactor;

import dev.taskwatch.core.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;

/** The only class that touches Micrometer; loaded only when a registry is configured. */
final class MicrometerWatchMetrics implements WatchMetrics {

    private final MeterRegistry registry;
    private final Counter polls;

    private MicrometerWatchMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.polls = Counter.builder("taskwatch.polls")
                .description("Task status requests sent")
                .register(registry);
    }

    static WatchMetrics create(Object registry) {
        return new MicrometerWatchMetrics((MeterRegistry) registry);
    }

    @Override
    public void poll() {
        polls.increment();
    }

    @Override
    public void retry(String reason) {
        Counter.builder("taskwatch.retries")
                .description("Transient failures retried, by reason")
                .tag("reason", reason)
                .register(registry)
                .increment();
    }

    @Override
    public void transition(TaskStatus status) {
        // The typed status, not the raw value, keeps the tag's cardinality bounded.
        Counter.builder("taskwatch.transitions")
                .description("Status transitions emitted, by status")
                .tag("status", status.name().toLowerCase(Locale.ROOT))
                .register(registry)
                .increment();
    }

    @Override
    public void finished(String outcome, Duration duration) {
        Timer.builder("taskwatch.watch.duration")
                .description("How long polling loops ran, by outcome")
                .tag("outcome", outcome)
                .register(registry)
                .record(duration);
    }
}
