package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLongFieldUpdater;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * One subscriber of a {@link WatchLoop}: its own queue of transitions (a task has a handful, so a subscriber without
 * demand holds them and stalls no one), its demand, and its own deadline.
 *
 * <p>How a subscriber ends is decided once, by a compare-and-set on {@link #ended}: the loop's terminal task, the
 * loop's error, the deadline timer, a bad request and a cancel each try it, and only the first acts. A subscriber that
 * has been handed the terminal task therefore completes, even when its deadline passes before the task reaches it.
 * Signals go out through the usual drain loop ({@code wip}), so they are serialised whichever thread offers them.
 */
final class WatchSubscription implements Subscription, Runnable {

    private static final AtomicIntegerFieldUpdater<WatchSubscription> ENDED =
            AtomicIntegerFieldUpdater.newUpdater(WatchSubscription.class, "ended");
    private static final AtomicIntegerFieldUpdater<WatchSubscription> WIP =
            AtomicIntegerFieldUpdater.newUpdater(WatchSubscription.class, "wip");
    private static final AtomicLongFieldUpdater<WatchSubscription> REQUESTED =
            AtomicLongFieldUpdater.newUpdater(WatchSubscription.class, "requested");
    private static final AtomicReferenceFieldUpdater<WatchSubscription, Disposable> DEADLINE =
            AtomicReferenceFieldUpdater.newUpdater(WatchSubscription.class, Disposable.class, "deadline");

    private static final int LIVE = 0;
    private static final int DECIDED = 1;
    private static final int CANCELLED = 2;

    /** Stands for a deadline timer that is disposed, or must be disposed as soon as it is set. */
    private static final Disposable DISPOSED = new Disposable() {
        @Override
        public void dispose() {}

        @Override
        public boolean isDisposed() {
            return true;
        }
    };

    private final CoreSubscriber<? super Task> actual;
    private final boolean failedIsError;
    private final @Nullable Duration timeout;
    private final Scheduler scheduler;
    private final long startNanos;
    /** From {@link #startNanos} to the deadline, when {@link #timeout} is set; at most 0 for a deadline past. */
    private final long limitNanos;
    /** Where a resumed watch picks up: what it skips, and its absolute deadline; null for a fresh watch. */
    private final @Nullable ResumePoint from;

    private final Queue<Task> queue = new ConcurrentLinkedQueue<>();

    private volatile @Nullable WatchLoop loop;
    private volatile @Nullable Disposable deadline;
    private volatile int ended;
    private volatile int wip;
    private volatile long requested;
    /** Set before {@link #done}, read after it. */
    private @Nullable Throwable error;

    private volatile boolean done;

    /**
     * @param failedIsError deliver a failed task as {@link TaskFailedException} instead of as data
     * @param timeout this subscriber's own timeout, or null for none
     * @param scheduler the clock and timer of the deadline
     */
    WatchSubscription(
            CoreSubscriber<? super Task> actual,
            boolean failedIsError,
            @Nullable Duration timeout,
            Scheduler scheduler) {
        this.actual = actual;
        this.failedIsError = failedIsError;
        this.timeout = timeout;
        this.scheduler = scheduler;
        this.startNanos = scheduler.now(TimeUnit.NANOSECONDS);
        this.limitNanos = timeout == null ? 0 : WatchOptions.nanos(timeout);
        this.from = null;
    }

    /**
     * A subscriber resumed from {@code from}: it skips what {@link ResumePoint#skips} says, and its deadline is the
     * point's, read as wall-clock time on {@code scheduler}'s clock ({@link Scheduler#now} is milliseconds of the epoch
     * for Reactor's schedulers, and virtual time from epoch 0 for a virtual one), or else {@code timeout}.
     */
    WatchSubscription(
            CoreSubscriber<? super Task> actual, @Nullable Duration timeout, Scheduler scheduler, ResumePoint from) {
        this.actual = actual;
        this.failedIsError = false;
        this.scheduler = scheduler;
        this.startNanos = scheduler.now(TimeUnit.NANOSECONDS);
        this.from = from;
        if (from.deadline() != null) {
            long deadline = from.deadlineEpochNanos();
            long wallNow = wallClockNanos(scheduler);
            long limit = deadline - wallNow;
            // Saturate: a deadline centuries away is no deadline to overflow on.
            if (((deadline ^ wallNow) & (deadline ^ limit)) < 0) {
                limit = deadline < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
            }
            this.limitNanos = limit;
            this.timeout = Duration.ofNanos(Math.max(0, limit));
        } else {
            this.timeout = timeout;
            this.limitNanos = timeout == null ? 0 : WatchOptions.nanos(timeout);
        }
    }

    /**
     * Now as nanoseconds of the epoch on {@code scheduler}'s clock. Reactor's own schedulers read
     * {@code now(NANOSECONDS)} off {@link System#nanoTime()}, which is no wall clock (only {@code now(MILLISECONDS)}
     * is the epoch there), while a virtual-time scheduler reads both off one virtual clock: when the two units agree,
     * the nanoseconds are the wall clock to the nanosecond; otherwise the milliseconds are, to the millisecond (the
     * precision of a resume point's deadline anyway).
     */
    static long wallClockNanos(Scheduler scheduler) {
        long nanos = scheduler.now(TimeUnit.NANOSECONDS);
        long millis = scheduler.now(TimeUnit.MILLISECONDS);
        if (Math.abs(nanos / 1_000_000 - millis) <= 1) {
            return nanos;
        }
        try {
            return Math.multiplyExact(millis, 1_000_000L);
        } catch (ArithmeticException e) {
            return millis < 0 ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    /** Whether this subscriber's deadline has passed already, before it joined anything. */
    boolean expired() {
        return timeout != null && limitNanos - (scheduler.now(TimeUnit.NANOSECONDS) - startNanos) <= 0;
    }

    /** The resume point's deadline, for the timeout message, or null. */
    @Nullable
    Instant deadline() {
        ResumePoint point = from;
        return point == null ? null : point.deadline();
    }

    /** Neither ended nor cancelled. */
    boolean isActive() {
        return ended == LIVE;
    }

    /** Binds to the loop being joined; from now on a cancel or the deadline leaves that loop. */
    void bind(WatchLoop joining) {
        loop = joining;
    }

    /**
     * Starts the deadline timer, which fires {@link #run}, once the loop is bound. It counts from subscription, not
     * from now.
     */
    void armDeadline() {
        Duration limit = timeout;
        if (limit == null || ended != LIVE) {
            return;
        }
        long remaining = limitNanos - (scheduler.now(TimeUnit.NANOSECONDS) - startNanos);
        Disposable timer;
        try {
            timer = scheduler.schedule(this, Math.max(1, remaining), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            if (ENDED.compareAndSet(this, LIVE, DECIDED)) {
                error = new WatchException("watch not started: its scheduler is shut down", e, null, 0);
                done = true;
                leaveLoop("error");
            }
            drain();
            return;
        }
        if (!DEADLINE.compareAndSet(this, null, timer)) {
            timer.dispose(); // ended while the timer was being set
        }
    }

    // ---------------------------------------------------------------- from the loop, under its lock

    /** Queues a transition, unless this subscriber has ended. */
    void offer(Task task) {
        if (ended == LIVE && !skips(task)) {
            queue.offer(task);
        }
    }

    /** Ends with the terminal task, unless this subscriber ended before. */
    void finish(Task terminal, int polls) {
        if (ENDED.compareAndSet(this, LIVE, DECIDED)) {
            if (failedIsError && terminal.status() == TaskStatus.FAILED) {
                error = new TaskFailedException(terminal, polls);
            } else if (!skips(terminal)) {
                queue.offer(terminal);
            }
            done = true;
        }
    }

    /** Ends with an error, unless this subscriber ended before. */
    void fail(WatchException failure) {
        if (ENDED.compareAndSet(this, LIVE, DECIDED)) {
            error = failure;
            done = true;
        }
    }

    /** Whether this subscriber's deadline comes before {@code delayNanos} from {@code now}. */
    boolean endsBefore(long now, long delayNanos) {
        Duration limit = timeout;
        return limit != null && delayNanos > limitNanos - (now - startNanos);
    }

    /** Ends with the timeout error now: the server asked to wait past this subscriber's deadline. */
    void timeOut(Progress progress, long now, Duration hint, @Nullable Throwable cause) {
        Duration limit = timeout;
        if (limit != null && ENDED.compareAndSet(this, LIVE, DECIDED)) {
            error = progress.timedOut(limit, deadline(), Duration.ofNanos(now - startNanos), hint, cause);
            done = true;
        }
    }

    // ---------------------------------------------------------------- the deadline timer

    @Override
    public void run() {
        Duration limit = timeout;
        WatchLoop bound = loop;
        if (limit == null || bound == null || !ENDED.compareAndSet(this, LIVE, DECIDED)) {
            return;
        }
        long elapsed = scheduler.now(TimeUnit.NANOSECONDS) - startNanos;
        error = bound.timedOut(limit, deadline(), elapsed, null, null);
        done = true;
        bound.leave(this, "timeout");
        drain();
    }

    // ---------------------------------------------------------------- Subscription

    @Override
    public void request(long n) {
        if (n <= 0) {
            // Rule 3.9: the subscriber's own bug, reported to it, and the watch stops.
            if (ENDED.compareAndSet(this, LIVE, DECIDED)) {
                error = new IllegalArgumentException("§3.9 violated: request must be positive, got " + n);
                done = true;
                leaveLoop("cancelled");
            }
        } else {
            Operators.addCap(REQUESTED, this, n);
        }
        drain();
    }

    @Override
    public void cancel() {
        if (ENDED.getAndSet(this, CANCELLED) == CANCELLED) {
            return;
        }
        // A decided end not yet delivered is dropped with the rest of the queue.
        disposeDeadline();
        leaveLoop("cancelled");
        if (WIP.getAndIncrement(this) == 0) {
            queue.clear();
        }
    }

    /** Whether a resumed subscriber has seen this status already (DESIGN §4.14). */
    private boolean skips(Task task) {
        ResumePoint point = from;
        return point != null && point.skips(task);
    }

    private void leaveLoop(String outcome) {
        WatchLoop bound = loop;
        if (bound != null) {
            bound.leave(this, outcome);
        }
    }

    private void disposeDeadline() {
        Disposable timer = DEADLINE.getAndSet(this, DISPOSED);
        if (timer != null) {
            timer.dispose();
        }
    }

    // ---------------------------------------------------------------- delivery

    /** Delivers what is queued as far as demand allows, then the end once everything before it is out. */
    void drain() {
        if (WIP.getAndIncrement(this) != 0) {
            return;
        }
        int missed = 1;
        for (; ; ) {
            long demand = requested;
            long emitted = 0;
            while (emitted != demand) {
                if (ended == CANCELLED) {
                    queue.clear();
                    return;
                }
                boolean finished = done;
                Task next = queue.poll();
                if (next == null) {
                    if (finished) {
                        terminate();
                        return;
                    }
                    break;
                }
                actual.onNext(next);
                emitted++;
            }
            if (ended == CANCELLED) {
                queue.clear();
                return;
            }
            if (emitted == demand && done && queue.isEmpty()) {
                terminate();
                return;
            }
            if (emitted != 0 && demand != Long.MAX_VALUE) {
                REQUESTED.addAndGet(this, -emitted);
            }
            missed = WIP.addAndGet(this, -missed);
            if (missed == 0) {
                return;
            }
        }
    }

    /** Called once, from the drain loop, which then never releases {@code wip}: nothing is signalled after it. */
    private void terminate() {
        disposeDeadline();
        Throwable failure = error;
        if (failure != null) {
            actual.onError(failure);
        } else {
            actual.onComplete();
        }
    }
}
