package dev.taskwatch.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A clock that moves only when told to: give it to {@link CatalogSimulator.Builder#clock(Clock)} to step a task's
 * script without sleeping. Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = ManualClock.at(Instant.parse("2026-01-01T00:00:00Z"));
 * try (CatalogSimulator sim = CatalogSimulator.builder().clock(clock).start()) {
 *     sim.task("zone-1", "task-1").pending(Duration.ofHours(1)).completes("install-1");
 *     // ... the task is pending ...
 *     clock.advance(Duration.ofHours(1));
 *     // ... now it answers 303 ...
 * }
 * }</pre>
 */
public final class ManualClock extends Clock {

    private volatile Instant now;

    private ManualClock(Instant start) {
        this.now = start;
    }

    /**
     * A clock standing at {@code start}.
     *
     * @param start the instant to stand at, not {@code null}
     * @return a new clock in UTC that stays there until {@link #advance(Duration) advanced}
     */
    public static ManualClock at(Instant start) {
        return new ManualClock(Objects.requireNonNull(start, "start"));
    }

    /**
     * Moves the clock forward.
     *
     * @param duration how far, not {@code null}; zero leaves it where it is
     * @throws IllegalArgumentException if {@code duration} is negative
     */
    public synchronized void advance(Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + duration);
        }
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    /** UTC. */
    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Not supported: the simulator only reads instants. */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("ManualClock is always UTC");
    }

    @Override
    public String toString() {
        return "ManualClock{" + now + "}";
    }
}
