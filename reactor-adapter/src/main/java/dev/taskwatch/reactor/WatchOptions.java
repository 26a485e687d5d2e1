package dev.taskwatch.reactor;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * How a {@link TaskWatcher} polls: backoff, jitter, timeout, error budget, scheduler and observability.
 *
 * <p>Immutable: every setter returns a new copy and validates its argument at once, throwing
 * {@link IllegalArgumentException} with the rejected value in the message.
 *
 * <pre>{@code
 * WatchOptions options = WatchOptions.defaults()
 *     .initialDelay(Duration.ofMillis(500))
 *     .maxDelay(Duration.ofSeconds(30))
 *     .timeout(Duration.ofMinutes(30));
 * TaskWatcher watcher = TaskWatcher.create(client, options);
 * }</pre>
 *
 * <p>The delay after poll {@code n} (counting a watch's polls from 0) is
 * {@code min(maxDelay, initialDelay × multiplier^n)}, spread at random by {@code ±jitter} of itself but never below
 * {@code initialDelay} nor above {@code maxDelay}. It keeps growing across transitions: a task that just started running is not about to finish. A
 * server hint ({@code Retry-After}, {@code retry-after-ms}) replaces it, above {@code maxDelay} too, but never below
 * {@code initialDelay}.
 *
 * <p>Every duration must fit in a {@code long} of nanoseconds (about 292 years), so that deadline arithmetic cannot
 * overflow.
 */
public final class WatchOptions {

    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);

    // The backoff that needs the fewest requests per task while the p95 task is seen within half its duration and
    // within 10 s, for log-normal durations (median 20 s, p95 2 min): BENCHMARKS.md, "Request efficiency".
    private static final WatchOptions DEFAULTS = new WatchOptions(
            Duration.ofMillis(1750),
            Duration.ofSeconds(12),
            1.25,
            0.2,
            null,
            Duration.ofSeconds(30),
            10,
            null,
            WatchOptions::randomUuid,
            null,
            null);

    private final Duration initialDelay;
    private final Duration maxDelay;
    private final double multiplier;
    private final double jitter;
    private final @Nullable Duration timeout;
    private final Duration notFoundGrace;
    private final int maxConsecutiveErrors;
    // Null means Schedulers.parallel(), looked up on each use so that StepVerifier.withVirtualTime can replace it.
    private final @Nullable Scheduler scheduler;
    private final Supplier<String> clientRequestIds;
    // Typed Object so that this class loads and runs without Micrometer on the class path.
    private final @Nullable Object meterRegistry;
    // Typed Object for the same reason: Micrometer Observation is optional too.
    private final @Nullable Object observationRegistry;

    private WatchOptions(
            Duration initialDelay,
            Duration maxDelay,
            double multiplier,
            double jitter,
            @Nullable Duration timeout,
            Duration notFoundGrace,
            int maxConsecutiveErrors,
            @Nullable Scheduler scheduler,
            Supplier<String> clientRequestIds,
            @Nullable Object meterRegistry,
            @Nullable Object observationRegistry) {
        this.initialDelay = initialDelay;
        this.maxDelay = maxDelay;
        this.multiplier = multiplier;
        this.jitter = jitter;
        this.timeout = timeout;
        this.notFoundGrace = notFoundGrace;
        this.maxConsecutiveErrors = maxConsecutiveErrors;
        this.scheduler = scheduler;
        this.clientRequestIds = clientRequestIds;
        this.meterRegistry = meterRegistry;
        this.observationRegistry = observationRegistry;
    }

    /**
     * The defaults: 1.75 s initial delay, ×1.25, 12 s max delay (delays of 1.75, 2.2, 2.7, 3.4 … 12 s), jitter 0.2,
     * no timeout, 30 s not-found grace, 10 errors in a row.
     */
    public static WatchOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The delay after the first poll, the first step of the backoff, and the shortest wait a server hint can ask
     * for. Defaults to 1.75 seconds.
     *
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions initialDelay(Duration initialDelay) {
        return new WatchOptions(
                requirePositive(initialDelay, "initialDelay"),
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * The longest computed delay between polls; it caps {@link #initialDelay(Duration)} too. Server hints may exceed
     * it. Defaults to 12 seconds.
     *
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions maxDelay(Duration maxDelay) {
        return new WatchOptions(
                initialDelay,
                requirePositive(maxDelay, "maxDelay"),
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * The factor by which each delay grows over the previous one. Defaults to {@code 1.25}.
     *
     * @throws IllegalArgumentException if below {@code 1.0}, infinite or NaN
     */
    public WatchOptions multiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got " + multiplier);
        }
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * The random spread of each computed delay, as a fraction of it: {@code 0.2} means ±20 %, within
     * {@code [initialDelay, maxDelay]}. Spreading keeps many watchers from polling in lockstep. Defaults to
     * {@code 0.2}.
     *
     * @throws IllegalArgumentException if not in {@code [0, 1)}
     */
    public WatchOptions jitter(double jitter) {
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * How long a watch may run, from its own subscription, before it ends with {@link WatchTimeoutException}.
     * Each subscriber has its own deadline, also when several share one polling loop. A subscriber that has been sent
     * the terminal task completes, even if its deadline passes while it handles that task. Defaults to none (watch
     * until the task ends).
     *
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds (use no timeout
     *     rather than {@code ChronoUnit.FOREVER})
     */
    public WatchOptions timeout(Duration timeout) {
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                requirePositive(timeout, "timeout"),
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * How long after the polling loop's first request a {@code 404} is taken for "not visible yet" and retried; after
     * it a {@code 404} ends the watch. It counts from the loop's first poll, not from each subscription: visibility is
     * the task's, and a late subscriber of a loop that has seen 404s for a minute learns nothing new by waiting
     * another 30 seconds. 404s within the grace do not count towards {@link #maxConsecutiveErrors(int)}. Defaults to
     * 30 seconds (Keycard's own tooling waits as long).
     *
     * @throws IllegalArgumentException if negative, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions notFoundGrace(Duration notFoundGrace) {
        Objects.requireNonNull(notFoundGrace, "notFoundGrace");
        if (notFoundGrace.isNegative()) {
            throw new IllegalArgumentException("notFoundGrace must not be negative, got " + notFoundGrace);
        }
        requireNanos(notFoundGrace, "notFoundGrace");
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * How many transient failures in a row are retried; the next one ends the watch. A successful response resets
     * the count. Defaults to {@code 10}.
     *
     * @throws IllegalArgumentException if negative
     */
    public WatchOptions maxConsecutiveErrors(int maxConsecutiveErrors) {
        if (maxConsecutiveErrors < 0) {
            throw new IllegalArgumentException(
                    "maxConsecutiveErrors must not be negative, got " + maxConsecutiveErrors);
        }
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * The scheduler all delays and the timeout run on. Defaults to {@link Schedulers#parallel()}, looked up at each
     * subscription (so {@code StepVerifier.withVirtualTime} replaces it).
     */
    public WatchOptions scheduler(Scheduler scheduler) {
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                Objects.requireNonNull(scheduler, "scheduler"),
                clientRequestIds,
                meterRegistry,
                observationRegistry);
    }

    /**
     * Where each poll's {@code X-Client-Request-ID} comes from; called once per poll. Defaults to a fresh random
     * (version 4) UUID per poll.
     */
    public WatchOptions clientRequestIds(Supplier<String> clientRequestIds) {
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                Objects.requireNonNull(clientRequestIds, "clientRequestIds"),
                meterRegistry,
                observationRegistry);
    }

    /**
     * Where to record metrics: {@code taskwatch.polls}, {@code taskwatch.retries} (tag {@code reason}),
     * {@code taskwatch.transitions} (tag {@code status}) and {@code taskwatch.watch.duration} (tag {@code outcome}).
     * Defaults to none; Micrometer is an optional dependency, needed only when this is set.
     */
    public WatchOptions meterRegistry(MeterRegistry meterRegistry) {
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                Objects.requireNonNull(meterRegistry, "meterRegistry"),
                observationRegistry);
    }

    /**
     * Where to record one {@link ObservationRegistry Observation} (a trace span, with a tracing bridge) per
     * subscription of {@link TaskWatcher#watch}, {@link TaskWatcher#awaitTerminal} and
     * {@link TaskWatcher#awaitCompleted}: named {@code taskwatch.watch}, started at subscription with the caller's
     * observation from the Reactor context ({@code ObservationThreadLocalAccessor.KEY}) as its parent, stopped once
     * when the subscriber completes, errors or cancels. Low-cardinality keys {@code taskwatch.operation}
     * ({@code install}, {@code delete} or {@code unknown}, known from the first task seen) and
     * {@code taskwatch.outcome} ({@code completed}, {@code failed}, {@code timeout}, {@code error} or
     * {@code cancelled}); high-cardinality keys {@code taskwatch.zone} and {@code taskwatch.task}; one
     * {@code taskwatch.transition} event per task delivered, its contextual name the status. Defaults to none;
     * Micrometer Observation is an optional dependency, needed only when this is set.
     */
    public WatchOptions observationRegistry(ObservationRegistry observationRegistry) {
        return new WatchOptions(
                initialDelay,
                maxDelay,
                multiplier,
                jitter,
                timeout,
                notFoundGrace,
                maxConsecutiveErrors,
                scheduler,
                clientRequestIds,
                meterRegistry,
                Objects.requireNonNull(observationRegistry, "observationRegistry"));
    }

    /** The delay after the first poll, and the shortest wait a server hint can ask for. */
    public Duration initialDelay() {
        return initialDelay;
    }

    /** The longest computed delay between polls. */
    public Duration maxDelay() {
        return maxDelay;
    }

    /** The growth factor between consecutive delays. */
    public double multiplier() {
        return multiplier;
    }

    /** The random spread of each computed delay, as a fraction of it. */
    public double jitter() {
        return jitter;
    }

    /** How long a watch may run, or {@code null} for no limit. */
    public @Nullable Duration timeout() {
        return timeout;
    }

    /** How long after the polling loop's first request a {@code 404} is retried. */
    public Duration notFoundGrace() {
        return notFoundGrace;
    }

    /** How many transient failures in a row are retried. */
    public int maxConsecutiveErrors() {
        return maxConsecutiveErrors;
    }

    /** The scheduler to use now: the one set, else the current {@link Schedulers#parallel()}. */
    public Scheduler scheduler() {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }

    /** The source of {@code X-Client-Request-ID} values. */
    public Supplier<String> clientRequestIds() {
        return clientRequestIds;
    }

    /** The registry metrics go to, or {@code null} for none. */
    public @Nullable MeterRegistry meterRegistry() {
        Object registry = meterRegistry;
        // Checked before the cast so that the cast (and Micrometer) is never touched when no registry is set.
        if (registry == null) {
            return null;
        }
        return (MeterRegistry) registry;
    }

    /** The registry as an untyped reference, for code that must not load Micrometer when there is none. */
    @Nullable
    Object meterRegistryOrNull() {
        return meterRegistry;
    }

    /** The registry each watch's observation goes to, or {@code null} for none. */
    public @Nullable ObservationRegistry observationRegistry() {
        Object registry = observationRegistry;
        if (registry == null) {
            return null;
        }
        return (ObservationRegistry) registry;
    }

    /** The observation registry as an untyped reference, for code that must not load Micrometer when there is none. */
    @Nullable
    Object observationRegistryOrNull() {
        return observationRegistry;
    }

    @Override
    public String toString() {
        return "WatchOptions{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
                + ", jitter=" + jitter + ", timeout=" + (timeout == null ? "none" : timeout) + ", notFoundGrace="
                + notFoundGrace + ", maxConsecutiveErrors=" + maxConsecutiveErrors + ", scheduler="
                + (scheduler == null ? "parallel" : scheduler) + ", meterRegistry="
                + (meterRegistry == null ? "none" : "set") + ", observationRegistry="
                + (observationRegistry == null ? "none" : "set") + "}";
    }

    private static Duration requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
        return requireNanos(value, name);
    }

    private static Duration requireNanos(Duration value, String name) {
        if (value.compareTo(MAX_NANOS) > 0) {
            throw new IllegalArgumentException(
                    name + " must be at most " + MAX_NANOS + " (a long of nanoseconds), got " + value);
        }
        return value;
    }

    /**
     * {@code d} in nanoseconds, within {@code [0, Long.MAX_VALUE]}: options are validated to fit, a server hint that
     * does not is saturated.
     */
    static long nanos(Duration d) {
        if (d.isNegative()) {
            return 0;
        }
        return d.compareTo(MAX_NANOS) >= 0 ? Long.MAX_VALUE : d.toNanos();
    }

    /**
     * A random version 4 UUID from {@link ThreadLocalRandom}: a request id is for tracing, not security, and
     * {@link UUID#randomUUID()} may block reading the system entropy source on a non-blocking thread.
     */
    static String randomUuid() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long msb = (random.nextLong() & ~0xF000L) | 0x4000L;
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
