package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogApiException;
import dev.taskwatch.core.CatalogProtocolException;
import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskResponse;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.TaskwatchException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Signal;
import reactor.core.publisher.SignalType;
import reactor.core.scheduler.Scheduler;

/**
 * One polling loop: the state of one subscription to a task's transitions, and the decision taken after each
 * response. Each poll starts only after the previous response has been handled, so the fields are written by one
 * step at a time; the few the deadline timer also reads are volatile.
 */
final class WatchLoop {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);

    /** A transition, with the number of polls made when it was seen. */
    record Emission(Task task, int polls) {}

    /**
     * What one poll decided: maybe a transition to emit, then either the delay before the next poll, an error to end
     * with, or neither (the task ended).
     */
    private record Step(
            @Nullable Emission emission,
            @Nullable Duration next,
            @Nullable TaskWatchException end) {}

    private final CatalogTasksClient client;
    private final WatchOptions options;
    private final WatchMetrics metrics;
    private final String zoneId;
    private final String taskId;
    private final Scheduler scheduler;
    private final long startNanos;

    private volatile @Nullable Task lastSeen;
    private volatile int polls;
    private final Set<String> emittedStatuses = new HashSet<>();
    private int rank = -1;
    private int attempt;
    private int consecutiveErrors;
    private @Nullable TaskStatus lastEmitted;
    private @Nullable String errorOutcome;
    private volatile boolean deadlinePassed;

    private WatchLoop(
            CatalogTasksClient client, WatchOptions options, WatchMetrics metrics, String zoneId, String taskId) {
        this.client = client;
        this.options = options;
        this.metrics = metrics;
        this.zoneId = zoneId;
        this.taskId = taskId;
        this.scheduler = options.scheduler();
        this.startNanos = scheduler.now(TimeUnit.NANOSECONDS);
    }

    /** The transitions of one task; each subscription runs its own loop, starting with a poll at subscription. */
    static Flux<Emission> transitions(
            CatalogTasksClient client, WatchOptions options, WatchMetrics metrics, String zoneId, String taskId) {
        return Flux.defer(() -> new WatchLoop(client, options, metrics, zoneId, taskId).run());
    }

    private Flux<Emission> run() {
        // expand: the next poll is scheduled only from the step that handled the previous response, so requests
        // never overlap and cancelling disposes whichever is pending, the timer or the request.
        Flux<Emission> emissions = poll().expand(step -> {
                    if (step.end() != null) {
                        return Mono.error(step.end());
                    }
                    Duration next = step.next();
                    return next == null
                            ? Mono.empty()
                            : Mono.delay(next, scheduler).then(poll());
                })
                .mapNotNull(Step::emission);
        Duration timeout = options.timeout();
        if (timeout != null) {
            // A deadline for the whole loop, in-flight requests included. takeUntilOther cancels the loop only when
            // the other publisher emits (an error from it would leave the request running), hence the flag.
            emissions = emissions
                    .takeUntilOther(Mono.delay(timeout, scheduler).doOnNext(tick -> deadlinePassed = true))
                    .concatWith(Mono.defer(
                            () -> deadlinePassed ? Mono.error(timedOut(timeout, null, null)) : Mono.empty()));
        }
        return emissions
                .onErrorMap(e -> !(e instanceof TaskWatchException), this::fatal)
                .doOnError(e -> errorOutcome = e instanceof TaskWatchTimeoutException ? "timeout" : "error")
                .doFinally(this::finished);
    }

    private Mono<Step> poll() {
        return Mono.defer(() -> {
                    int n = ++polls;
                    metrics.poll();
                    String requestId = options.clientRequestIds().get();
                    log.debug("poll #{} of task {} in zone {} (X-Client-Request-ID {})", n, taskId, zoneId, requestId);
                    return client.exchange(zoneId, taskId, requestId);
                })
                .materialize()
                .map(this::decide);
    }

    private Step decide(Signal<TaskResponse> signal) {
        TaskResponse response = signal.get();
        if (response != null) {
            return onResponse(response);
        }
        Throwable error = signal.getThrowable();
        return onFailure(
                error != null
                        ? error
                        : new CatalogTransportException(
                                "GET /zones/" + zoneId + "/catalog_tasks/" + taskId + " ended without a response",
                                null,
                                true));
    }

    private Step onResponse(TaskResponse response) {
        consecutiveErrors = 0;
        Task task = response.task();
        TaskStatus status = task.status();
        if (status.rank() < rank) {
            // A replica behind the one that answered before: never move backwards.
            if (log.isDebugEnabled()) {
                log.debug(
                        "poll #{} of task {}: stale {} after {}, dropped",
                        polls,
                        taskId,
                        shown(task.statusValue()),
                        lastEmitted);
            }
            return schedule(null, response.retryAfter(), null);
        }
        Task previous = lastSeen;
        // A 303 carries only id, status and install id; keep what was seen before.
        Task merged = status == TaskStatus.COMPLETED && previous != null ? task.mergedOver(previous) : task;
        lastSeen = merged;
        if (!emittedStatuses.add(task.statusValue())) {
            if (log.isDebugEnabled()) {
                log.debug("poll #{} of task {}: still {}", polls, taskId, shown(task.statusValue()));
            }
            return schedule(null, response.retryAfter(), null);
        }
        rank = status.rank();
        lastEmitted = status;
        attempt = 0; // a task that just moved is worth looking at again soon
        metrics.transition(status);
        if (log.isDebugEnabled()) {
            // The status is the server's text: shown() keeps a CR/LF or a bidi override in it from forging lines.
            log.debug("poll #{} of task {}: now {}", polls, taskId, shown(task.statusValue()));
        }
        Emission emission = new Emission(merged, polls);
        if (status.isTerminal()) {
            return new Step(emission, null, null);
        }
        return schedule(emission, response.retryAfter(), null);
    }

    private Step onFailure(Throwable error) {
        if (error instanceof CatalogApiException api && api.httpStatus() == 404) {
            if (elapsed().compareTo(options.notFoundGrace()) < 0) {
                // Keycard caches misses for a while after creation; the grace, not the error budget, bounds this.
                metrics.retry("404");
                log.debug("poll #{} of task {}: not found yet, within the grace", polls, taskId);
                return schedule(null, api.retryAfter(), api);
            }
            return end(fatal(error));
        }
        if (error instanceof TaskwatchException failure && failure.isTransient()) {
            if (++consecutiveErrors > options.maxConsecutiveErrors()) {
                return end(fatal(error));
            }
            metrics.retry(reason(failure));
            log.debug(
                    "poll #{} of task {} failed ({} of {} tolerated in a row), will retry: {}",
                    polls,
                    taskId,
                    consecutiveErrors,
                    options.maxConsecutiveErrors(),
                    failure.getMessage());
            return schedule(null, failure instanceof CatalogApiException api ? api.retryAfter() : null, failure);
        }
        return end(fatal(error));
    }

    /** The step that waits for the computed delay, or for the server's hint if it gave one. */
    private Step schedule(@Nullable Emission emission, @Nullable Duration hint, @Nullable Throwable cause) {
        Duration computed = backoff(attempt++);
        if (hint == null) {
            return new Step(emission, computed, null);
        }
        Duration timeout = options.timeout();
        if (timeout != null && elapsed().plus(hint).compareTo(timeout) > 0) {
            // Waiting would only end in the timeout; say so now.
            return new Step(emission, null, timedOut(timeout, hint, cause));
        }
        log.debug("task {}: server asked to wait {}", taskId, hint);
        return new Step(emission, hint, null);
    }

    /** min(maxDelay, initialDelay × multiplier^n), spread by ±jitter but never above maxDelay. */
    private Duration backoff(int n) {
        double max = nanos(options.maxDelay());
        double delay = Math.min(max, nanos(options.initialDelay()) * Math.pow(options.multiplier(), n));
        double jitter = options.jitter();
        if (jitter > 0) {
            double spread = 1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1);
            delay = Math.min(max, delay * spread);
        }
        return Duration.ofNanos((long) delay);
    }

    private static double nanos(Duration d) {
        return d.getSeconds() * 1e9 + d.getNano();
    }

    private Step end(TaskWatchException error) {
        return new Step(null, null, error);
    }

    private Duration elapsed() {
        return Duration.ofNanos(scheduler.now(TimeUnit.NANOSECONDS) - startNanos);
    }

    private TaskWatchException fatal(Throwable cause) {
        Task last = lastSeen;
        String message = "watch of task " + taskId + " in zone " + zoneId + " ended after " + polls
                + (polls == 1 ? " poll" : " polls") + " (last status "
                + (last == null ? "unknown" : shown(last.statusValue())) + "): " + cause.getMessage();
        return new TaskWatchException(message, cause, last, polls);
    }

    private TaskWatchTimeoutException timedOut(Duration timeout, @Nullable Duration hint, @Nullable Throwable cause) {
        Task last = lastSeen;
        Duration elapsed = elapsed();
        String message = "watch of task " + taskId + " in zone " + zoneId + " timed out after " + elapsed + " ("
                + "timeout " + timeout + ", " + polls + (polls == 1 ? " poll" : " polls") + ", last status "
                + (last == null ? "unknown" : shown(last.statusValue())) + ")"
                + (hint == null ? "" : ": the server asked to wait " + hint + ", past the deadline");
        return new TaskWatchTimeoutException(message, timeout, elapsed, last, polls, cause);
    }

    /**
     * A server- or caller-supplied value made safe for a message or a log line: control, format (bidi overrides,
     * zero-width), line and paragraph separator characters and lone surrogates become {@code ?}, so a status such as
     * {@code "running\r\n[main] INFO forged"} cannot forge or hide log lines.
     */
    static String shown(String value) {
        String cut = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return UNSAFE.matcher(cut).replaceAll("?");
    }

    private static final Pattern UNSAFE = Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}\\p{Cs}]");

    private static String reason(TaskwatchException failure) {
        if (failure instanceof CatalogApiException api) {
            return String.valueOf(api.httpStatus());
        }
        if (failure instanceof CatalogProtocolException) {
            return "protocol";
        }
        return failure instanceof CatalogTransportException ? "transport" : "other";
    }

    private void finished(SignalType signal) {
        String outcome;
        if (signal == SignalType.ON_COMPLETE) {
            outcome = lastEmitted == TaskStatus.FAILED ? "failed" : "completed";
        } else if (signal == SignalType.ON_ERROR) {
            outcome = errorOutcome != null ? errorOutcome : "error";
        } else {
            outcome = "cancelled";
        }
        Duration elapsed = elapsed();
        metrics.finished(outcome, elapsed);
        log.debug(
                "watch of task {} in zone {} ended: {} after {} polls in {}", taskId, zoneId, outcome, polls, elapsed);
    }
}
