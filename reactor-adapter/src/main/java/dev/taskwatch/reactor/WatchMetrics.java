package dev.taskwatch.reactor;

import dev.taskwatch.core.TaskStatus;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** What a watch reports about itself. Does nothing unless a Micrometer registry is configured. */
interface WatchMetrics {

    WatchMetrics NONE = new WatchMetrics() {};

    /**
     * Metrics for the given registry. {@link MicrometerWatchMetrics} is referenced only on the non-null branch, so
     * without a registry no Micrometer class is ever loaded.
     */
    static WatchMetrics of(@Nullable Object meterRegistry) {
        return meterRegistry == null ? NONE : MicrometerWatchMetrics.create(meterRegistry);
    }

    /** A request was sent. */
    default void poll() {}

    /** A transient failure will be retried; {@code reason} is an HTTP status, {@code transport} or {@code protocol}. */
    default void retry(String reason) {}

    /** A status was emitted. */
    default void transition(TaskStatus status) {}

    /** A polling loop ended: {@code completed}, {@code failed}, {@code timeout}, {@code error} or {@code cancelled}. */
    default void finished(String outcome, Duration duration) {}
}
