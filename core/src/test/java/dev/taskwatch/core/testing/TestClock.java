package dev.taskwatch.core.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * A UTC clock that moves only when a test moves it, for code that reads a {@link Clock} (token expiry, timestamps).
 * Thread-safe. Delays on a Reactor scheduler are not read from a clock: give those a {@code VirtualTimeScheduler}.
 * (Tests that run a {@code CatalogSimulator} use testkit's {@code ManualClock}, the same thing in testkit's public
 * API.)
 *
 * <pre>{@code
 * TestClock clock = TestClock.at(Instant.parse("2026-03-01T10:00:00Z"));
 * // ... a token that expires in 60 s is cached ...
 * clock.advance(Duration.ofSeconds(61));
 * }</pre>
 */
public final class TestClock extends Clock {

    private volatile Instant now;

    private TestClock(Instant now) {
        this.now = now;
    }

    /** A clock standing at {@code start}. */
    public static TestClock at(Instant start) {
        return new TestClock(Objects.requireNonNull(start, "start"));
    }

    /** Moves the clock by {@code duration} (backwards if negative: some tests need a clock that jumps back). */
    public synchronized void advance(Duration duration) {
        now = now.plus(duration);
    }

    @Override
    public Instant instant() {
        return now;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** Not supported: always UTC. */
    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("TestClock is always UTC");
    }

    @Override
    public String toString() {
        return "TestClock{" + now + "}";
    }
}
