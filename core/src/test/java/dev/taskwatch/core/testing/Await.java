package dev.taskwatch.core.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits in real time, bounded, for something another thread does (a connection closing, a server counting a
 * request): a regression then fails the test with a reason instead of hanging the build. Never use it to let a delay
 * of the code under test pass; those run on virtual time.
 *
 * <pre>{@code
 * Await.until(() -> sim.stalledRequests() == 0, Duration.ofSeconds(10), () -> "stalled " + sim.stalledRequests());
 * }</pre>
 */
public final class Await {

    private Await() {}

    /**
     * Returns once {@code condition} holds, checking every few milliseconds.
     *
     * @throws AssertionError with {@code why}'s text if it does not hold within {@code within}
     */
    public static void until(BooleanSupplier condition, Duration within, Supplier<String> why) {
        Objects.requireNonNull(why, "why");
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(why.get() + " (waited " + within + ")");
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + why.get(), e);
            }
        }
    }

    /** {@link #until(BooleanSupplier, Duration, Supplier)} within 10 seconds. */
    public static void until(BooleanSupplier condition, String what) {
        until(condition, Duration.ofSeconds(10), () -> "not " + what);
    }
}
