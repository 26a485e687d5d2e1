package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogException;
import dev.taskwatch.core.internal.SafeText;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
 * {@code min(maxDelay, initialDelay × multiplier^n)}, spread at random by {@code ±jitter} of itself but kept within
 * {@code [initialDelay, maxDelay]}: at the cap the spread is {@code −jitter} to 0. It keeps growing across
 * transitions: a task that just started running is not about to finish. A server hint ({@code Retry-After},
 * {@code retry-after-ms}) replaces it, above {@code maxDelay} too, but never below {@code initialDelay}.
 *
 * <p>Every duration must fit in a {@code long} of nanoseconds (about 292 years), so that deadline arithmetic cannot
 * overflow.
 */
public final class WatchOptions {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);
    private static final Duration MAX_NANOS = Duration.ofNanos(Long.MAX_VALUE);
    private static final WatchOptions DEFAULTS = new WatchOptions(new Spec());

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
    private final @Nullable Consumer<RetrySignal> retryListener;

    /**
     * The settings while one of them changes: each setter copies the current ones here, changes one and builds a new
     * instance from it, so that every field stays final. Its initial values are the defaults.
     */
    private static final class Spec {
        // The backoff that needs the fewest requests per task while the p95 task is seen within half its duration
        // and within 10 s, for log-normal durations (median 20 s, p95 2 min): BENCHMARKS.md, "Request efficiency".
        Duration initialDelay = Duration.ofMillis(1750);
        Duration maxDelay = Duration.ofSeconds(12);
        double multiplier = 1.25;
        double jitter = 0.2;

        @Nullable
        Duration timeout;

        Duration notFoundGrace = Duration.ofSeconds(30);
        int maxConsecutiveErrors = 10;

        @Nullable
        Scheduler scheduler;

        Supplier<String> clientRequestIds = WatchOptions::randomUuid;

        @Nullable
        Object meterRegistry;

        @Nullable
        Object observationRegistry;

        @Nullable
        Consumer<RetrySignal> retryListener;

        Spec() {}

        Spec(WatchOptions o) {
            initialDelay = o.initialDelay;
            maxDelay = o.maxDelay;
            multiplier = o.multiplier;
            jitter = o.jitter;
            timeout = o.timeout;
            notFoundGrace = o.notFoundGrace;
            maxConsecutiveErrors = o.maxConsecutiveErrors;
            scheduler = o.scheduler;
            clientRequestIds = o.clientRequestIds;
            meterRegistry = o.meterRegistry;
            observationRegistry = o.observationRegistry;
            retryListener = o.retryListener;
        }
    }

    private WatchOptions(Spec s) {
        this.initialDelay = s.initialDelay;
        this.maxDelay = s.maxDelay;
        this.multiplier = s.multiplier;
        this.jitter = s.jitter;
        this.timeout = s.timeout;
        this.notFoundGrace = s.notFoundGrace;
        this.maxConsecutiveErrors = s.maxConsecutiveErrors;
        this.scheduler = s.scheduler;
        this.clientRequestIds = s.clientRequestIds;
        this.meterRegistry = s.meterRegistry;
        this.observationRegistry = s.observationRegistry;
        this.retryListener = s.retryListener;
    }

    /** A copy of these options with one change. */
    private WatchOptions with(Consumer<Spec> change) {
        Spec spec = new Spec(this);
        change.accept(spec);
        return new WatchOptions(spec);
    }

    /**
     * The defaults: 1.75 s initial delay, ×1.25, 12 s max delay (delays of 1.75, 2.2, 2.7, 3.4 … 12 s), jitter 0.2,
     * no timeout, 30 s not-found grace, 10 errors in a row.
     *
     * @return the shared default options, immutable; each setter returns a changed copy
     */
    public static WatchOptions defaults() {
        return DEFAULTS;
    }

    /**
     * The delay after the first poll, the first step of the backoff, and the shortest wait a server hint can ask
     * for. Defaults to 1.75 seconds.
     *
     * @param initialDelay the first delay, not {@code null}; {@link #maxDelay(Duration)} caps it
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions initialDelay(Duration initialDelay) {
        return with(s -> s.initialDelay = requirePositive(initialDelay, "initialDelay"));
    }

    /**
     * The longest computed delay between polls; it caps {@link #initialDelay(Duration)} too. Server hints may exceed
     * it. Defaults to 12 seconds.
     *
     * @param maxDelay the cap on computed delays, not {@code null}
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions maxDelay(Duration maxDelay) {
        return with(s -> s.maxDelay = requirePositive(maxDelay, "maxDelay"));
    }

    /**
     * The factor by which each delay grows over the previous one. Defaults to {@code 1.25}.
     *
     * @param multiplier the factor; {@code 1.0} keeps every delay at the initial one (before jitter)
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if below {@code 1.0}, infinite or NaN
     */
    public WatchOptions multiplier(double multiplier) {
        if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier must be a finite number >= 1.0, got " + multiplier);
        }
        return with(s -> s.multiplier = multiplier);
    }

    /**
     * The random spread of each computed delay, as a fraction of it: {@code 0.2} means ±20 %, kept within
     * {@code [initialDelay, maxDelay]} (so −20 % to 0 once the delay has reached {@code maxDelay}). Spreading keeps
     * many watchers from polling in lockstep. Defaults to {@code 0.2}.
     *
     * @param jitter the fraction; {@code 0} turns the spread off
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if not in {@code [0, 1)}
     */
    public WatchOptions jitter(double jitter) {
        if (!(jitter >= 0.0 && jitter < 1.0)) {
            throw new IllegalArgumentException("jitter must be in [0, 1), got " + jitter);
        }
        return with(s -> s.jitter = jitter);
    }

    /**
     * How long a watch may run, from its own subscription, before it ends with {@link WatchTimeoutException}.
     * Each subscriber has its own deadline, also when several share one polling loop. A subscriber that has been sent
     * the terminal task completes, even if its deadline passes while it handles that task. Defaults to none (watch
     * until the task ends).
     *
     * @param timeout the limit per subscription, not {@code null}
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if not positive, or too long for a {@code long} of nanoseconds (use no timeout
     *     rather than {@code ChronoUnit.FOREVER})
     */
    public WatchOptions timeout(Duration timeout) {
        return with(s -> s.timeout = requirePositive(timeout, "timeout"));
    }

    /**
     * How long after the polling loop's first request a {@code 404} is taken for "not visible yet" and retried; after
     * it a {@code 404} ends the watch. It counts from the loop's first poll, not from each subscription: visibility is
     * the task's, and a late subscriber of a loop that has seen 404s for a minute learns nothing new by waiting
     * another 30 seconds. 404s within the grace do not count towards {@link #maxConsecutiveErrors(int)}. Defaults to
     * 30 seconds (Keycard's own tooling waits as long).
     *
     * @param notFoundGrace the grace, not {@code null}; zero makes every {@code 404} end the watch
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if negative, or too long for a {@code long} of nanoseconds
     */
    public WatchOptions notFoundGrace(Duration notFoundGrace) {
        Objects.requireNonNull(notFoundGrace, "notFoundGrace");
        if (notFoundGrace.isNegative()) {
            throw new IllegalArgumentException("notFoundGrace must not be negative, got " + notFoundGrace);
        }
        requireNanos(notFoundGrace, "notFoundGrace");
        return with(s -> s.notFoundGrace = notFoundGrace);
    }

    /**
     * How many transient failures in a row are retried; the next one ends the watch. A successful response resets
     * the count. Defaults to {@code 10}.
     *
     * @param maxConsecutiveErrors the count; {@code 0} ends the watch on its first transient failure
     * @return new options with this change; these are unchanged
     * @throws IllegalArgumentException if negative
     */
    public WatchOptions maxConsecutiveErrors(int maxConsecutiveErrors) {
        if (maxConsecutiveErrors < 0) {
            throw new IllegalArgumentException(
                    "maxConsecutiveErrors must not be negative, got " + maxConsecutiveErrors);
        }
        return with(s -> s.maxConsecutiveErrors = maxConsecutiveErrors);
    }

    /**
     * The scheduler all delays and the timeout run on. Defaults to {@link Schedulers#parallel()}, looked up at each
     * subscription (so {@code StepVerifier.withVirtualTime} replaces it).
     *
     * @param scheduler the scheduler, not {@code null}; fixed from then on, even under virtual time
     * @return new options with this change; these are unchanged
     */
    public WatchOptions scheduler(Scheduler scheduler) {
        return with(s -> s.scheduler = Objects.requireNonNull(scheduler, "scheduler"));
    }

    /**
     * Where each poll's {@code X-Client-Request-ID} comes from; called once per poll. Defaults to a fresh random
     * (version 4) UUID per poll.
     *
     * @param clientRequestIds the source, not {@code null}; each value must be 1–128 printable ASCII characters, as
     *     {@link dev.taskwatch.core.CatalogTasksClient#exchange} requires
     * @return new options with this change; these are unchanged
     */
    public WatchOptions clientRequestIds(Supplier<String> clientRequestIds) {
        return with(s -> s.clientRequestIds = Objects.requireNonNull(clientRequestIds, "clientRequestIds"));
    }

    /**
     * Where to record metrics: {@code taskwatch.polls}, {@code taskwatch.retries} (tag {@code reason}),
     * {@code taskwatch.transitions} (tag {@code status}) and {@code taskwatch.watch.duration} (tag {@code outcome}).
     * Defaults to none; Micrometer is an optional dependency, needed only when this is set.
     *
     * @param meterRegistry the registry, not {@code null}
     * @return new options with this change; these are unchanged
     */
    public WatchOptions meterRegistry(MeterRegistry meterRegistry) {
        return with(s -> s.meterRegistry = Objects.requireNonNull(meterRegistry, "meterRegistry"));
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
     *
     * @param observationRegistry the registry, not {@code null}
     * @return new options with this change; these are unchanged
     */
    public WatchOptions observationRegistry(ObservationRegistry observationRegistry) {
        return with(s -> s.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry"));
    }

    /**
     * Adds a listener for failed polls that the watch retries: it is called once for each such poll, after the next
     * poll is scheduled, with the zone, the task, the error, how many polls in a row have failed and the delay before
     * the next poll. It is not called for the failure that ends a watch (that one is the watch's error), nor when the
     * watch ends before the retry (every subscriber timed out or cancelled). One call per failed poll of a polling
     * loop, however many subscribers share it.
     *
     * <pre>{@code
     * WatchOptions.defaults().doOnRetry(r -> log.info("{}/{}: {} failed polls in a row, next in {}: {}",
     *         r.zoneId(), r.taskId(), r.attempt(), r.delay(), r.error().getMessage()));
     * }</pre>
     *
     * <p>It runs on the thread that delivered the failure (a Netty event loop, or the scheduler's thread), so it must
     * not block; hand slow work to another thread. A listener that throws is logged at {@code WARN} on the
     * {@code dev.taskwatch.reactor.TaskWatcher} logger and otherwise ignored: the watch goes on as if it had returned.
     * Listeners added by earlier calls are kept and called first, each guarded on its own. Defaults to none.
     *
     * @param listener the listener, not {@code null}
     * @return new options with this listener after any earlier ones; these are unchanged
     */
    public WatchOptions doOnRetry(Consumer<? super RetrySignal> listener) {
        Objects.requireNonNull(listener, "listener");
        Consumer<RetrySignal> before = retryListener;
        return with(s -> s.retryListener = before == null
                ? signal -> notify(listener, signal)
                : signal -> {
                    before.accept(signal);
                    notify(listener, signal);
                });
    }

    /**
     * The delay after the first poll, and the shortest wait a server hint can ask for.
     *
     * @return the initial delay, positive
     */
    public Duration initialDelay() {
        return initialDelay;
    }

    /**
     * The longest computed delay between polls.
     *
     * @return the cap, positive
     */
    public Duration maxDelay() {
        return maxDelay;
    }

    /**
     * The growth factor between consecutive delays.
     *
     * @return the factor, at least {@code 1.0}
     */
    public double multiplier() {
        return multiplier;
    }

    /**
     * The random spread of each computed delay, as a fraction of it.
     *
     * @return the fraction, in {@code [0, 1)}
     */
    public double jitter() {
        return jitter;
    }

    /**
     * How long a watch may run, or {@code null} for no limit.
     *
     * @return the limit per subscription, positive, or {@code null}
     */
    public @Nullable Duration timeout() {
        return timeout;
    }

    /**
     * How long after the polling loop's first request a {@code 404} is retried.
     *
     * @return the grace, zero or positive
     */
    public Duration notFoundGrace() {
        return notFoundGrace;
    }

    /**
     * How many transient failures in a row are retried.
     *
     * @return the count, zero or positive
     */
    public int maxConsecutiveErrors() {
        return maxConsecutiveErrors;
    }

    /**
     * The scheduler to use now: the one set, else the current {@link Schedulers#parallel()}.
     *
     * @return the scheduler, never {@code null}; call it again rather than keep it, as virtual time may replace the
     *     default
     */
    public Scheduler scheduler() {
        return scheduler != null ? scheduler : Schedulers.parallel();
    }

    /**
     * The source of {@code X-Client-Request-ID} values.
     *
     * @return the supplier, called once per poll; never {@code null}
     */
    public Supplier<String> clientRequestIds() {
        return clientRequestIds;
    }

    /**
     * The registry metrics go to, or {@code null} for none. Calling this without Micrometer on the class path is safe
     * when none is set: the cast, and with it Micrometer, is reached only for a registry.
     *
     * @return the registry set with {@link #meterRegistry(MeterRegistry)}, or {@code null}
     */
    public @Nullable MeterRegistry meterRegistry() {
        return meterRegistry == null ? null : (MeterRegistry) meterRegistry;
    }

    /**
     * The registry each watch's observation goes to, or {@code null} for none; safe without Micrometer, as above.
     *
     * @return the registry set with {@link #observationRegistry(ObservationRegistry)}, or {@code null}
     */
    public @Nullable ObservationRegistry observationRegistry() {
        return observationRegistry == null ? null : (ObservationRegistry) observationRegistry;
    }

    /** Tells the {@link #doOnRetry} listeners, if any, about a poll that will be retried. Never throws. */
    void retrying(RetrySignal signal) {
        Consumer<RetrySignal> listener = retryListener;
        if (listener != null) {
            listener.accept(signal);
        }
    }

    private static void notify(Consumer<? super RetrySignal> listener, RetrySignal signal) {
        try {
            listener.accept(signal);
        } catch (RuntimeException e) {
            // The listener is the caller's; its failure is not the watch's. Its message is escaped like server text.
            log.warn(
                    "doOnRetry listener failed for task {} in zone {}; the watch goes on: {}",
                    signal.taskId(),
                    signal.zoneId(),
                    SafeText.escape(String.valueOf(e), 1000));
        }
    }

    /**
     * A failed poll that the watch will retry, as given to {@link #doOnRetry} listeners.
     *
     * @param zoneId the zone of the task
     * @param taskId the task
     * @param error why the poll failed: a transient {@link CatalogException}, or a {@code 404} within the
     *     not-found grace
     * @param attempt how many polls in a row have failed, this one included: 1 for the first failure after an answer
     *     (or at the start); 404s within the grace count here, though not towards {@link #maxConsecutiveErrors(int)}
     * @param delay the wait before the next poll: the backoff's, or the server's hint
     */
    public record RetrySignal(String zoneId, String taskId, CatalogException error, int attempt, Duration delay) {

        /**
         * Creates a signal.
         *
         * @param zoneId the zone of the task, not {@code null}
         * @param taskId the task, not {@code null}
         * @param error why the poll failed, not {@code null}
         * @param attempt how many polls in a row have failed, this one included
         * @param delay the wait before the next poll, not {@code null}
         */
        public RetrySignal {
            Objects.requireNonNull(zoneId, "zoneId");
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(delay, "delay");
        }
    }

    @Override
    public String toString() {
        return "WatchOptions{initialDelay=" + initialDelay + ", maxDelay=" + maxDelay + ", multiplier=" + multiplier
                + ", jitter=" + jitter + ", timeout=" + (timeout == null ? "none" : timeout) + ", notFoundGrace="
                + notFoundGrace + ", maxConsecutiveErrors=" + maxConsecutiveErrors + ", scheduler="
                + (scheduler == null ? "parallel" : scheduler) + ", meterRegistry="
                + (meterRegistry == null ? "none" : "set") + ", observationRegistry="
                + (observationRegistry == null ? "none" : "set") + ", doOnRetry="
                + (retryListener == null ? "none" : "set") + "}";
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
