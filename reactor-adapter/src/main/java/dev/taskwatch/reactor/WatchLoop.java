package dev.taskwatch.reactor;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.CatalogTransportException;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.core.internal.TaskRequests;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.CoreSubscriber;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Scheduler;

/**
 * The polling loop of one task on one {@link TaskWatcher}, shared by every subscriber watching it: it owns the
 * subscribers, the pending timer or the request in flight, and the {@link Progress} of the task.
 *
 * <p>Everything that changes who is subscribed or whether the loop runs — a subscriber joining or leaving, an answer
 * arriving, the loop ending — happens in one critical section, a lock on this object held for a few field writes. In
 * it the loop also hands each subscriber what to deliver ({@link WatchSubscription#offer}, a queue append); the
 * subscribers' callbacks run after the lock is released. Hence these invariants:
 *
 * <ul>
 *   <li>at most one open loop per task and watcher: the registry holds a loop until it closes, and a new one is
 *       registered only when none is;
 *   <li>no loop without a subscriber: the last one to leave closes the loop and disposes its timer or request; a
 *       closed loop never polls again;
 *   <li>a subscriber joining while the loop closes finds it closed and starts (or joins) a new one.
 * </ul>
 */
final class WatchLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(TaskWatcher.class);
    private static final WatchSubscription[] NONE = new WatchSubscription[0];

    /** What {@link #join} did. */
    enum Joined {
        /** The subscriber is in; it was the first, so the caller starts the loop. */
        FIRST,
        /** The subscriber is in. */
        ADDED,
        /** The loop had closed: find or start another. */
        CLOSED,
        /** The subscriber had left already (cancelled, timed out): nothing to do. */
        GONE
    }

    private final TaskWatcher watcher;
    private final TaskWatcher.Key key;
    private final Scheduler scheduler;
    private final Progress progress;

    // Guarded by this.
    private WatchSubscription[] subscribers = NONE;
    private boolean started;
    private boolean closed;
    /** The timer of the next poll or the poll in flight, to dispose when the last subscriber leaves. */
    private @Nullable Disposable pending;
    /** When the timer in {@link #pending} fires, on the scheduler's clock; only {@link #snapshot} reads it. */
    private long nextPollNanos;

    WatchLoop(TaskWatcher watcher, TaskWatcher.Key key) {
        this.watcher = watcher;
        this.key = key;
        this.scheduler = watcher.options().scheduler();
        this.progress = new Progress(key.zoneId(), key.taskId(), watcher.options(), watcher.metrics());
    }

    /**
     * Adds a subscriber and hands it the latest transition, if there was one, so that it is delivered before any
     * later one.
     */
    synchronized Joined join(WatchSubscription subscriber) {
        if (closed) {
            return Joined.CLOSED;
        }
        if (!subscriber.isActive()) {
            if (subscribers.length == 0) {
                close(); // registered for this subscriber only, never started
            }
            return Joined.GONE;
        }
        WatchSubscription[] now = new WatchSubscription[subscribers.length + 1];
        System.arraycopy(subscribers, 0, now, 0, subscribers.length);
        now[subscribers.length] = subscriber;
        subscribers = now;
        Task latest = progress.latest();
        if (latest != null) {
            subscriber.offer(latest);
        }
        if (started) {
            return Joined.ADDED;
        }
        started = true;
        return Joined.FIRST;
    }

    /** Removes a subscriber that cancelled or timed out; the last one to leave stops the loop. */
    void leave(WatchSubscription subscriber, String outcome) {
        Disposable stop;
        synchronized (this) {
            int i = indexOf(subscriber);
            if (closed || i < 0) {
                return;
            }
            if (subscribers.length > 1) {
                WatchSubscription[] now = new WatchSubscription[subscribers.length - 1];
                System.arraycopy(subscribers, 0, now, 0, i);
                System.arraycopy(subscribers, i + 1, now, i, now.length - i);
                subscribers = now;
                return;
            }
            stop = stopLocked();
        }
        if (stop != null) {
            stop.dispose();
        }
        finished(outcome);
    }

    /**
     * Ends every subscriber with {@link Progress#closed()} and stops the loop, disposing its timer or request: the
     * watcher is closing. Does nothing if the loop has closed already.
     */
    void shutdown() {
        WatchSubscription[] deliver;
        Disposable stop;
        synchronized (this) {
            if (closed) {
                return;
            }
            deliver = subscribers;
            if (deliver.length > 0) {
                WatchException failure = progress.closed();
                for (WatchSubscription s : deliver) {
                    s.fail(failure);
                }
            }
            stop = stopLocked();
        }
        if (stop != null) {
            stop.dispose();
        }
        for (WatchSubscription s : deliver) {
            s.drain();
        }
        finished("cancelled");
    }

    /** The exception for a subscriber whose deadline passed: the last task seen, its elapsed time, the polls. */
    synchronized WatchTimeoutException timedOut(
            Duration timeout,
            @Nullable Instant deadline,
            long elapsedNanos,
            @Nullable Duration hint,
            @Nullable Throwable cause) {
        return progress.timedOut(timeout, deadline, Duration.ofNanos(elapsedNanos), hint, cause);
    }

    /** Sends the next poll; the loop's timer runs this. */
    @Override
    public void run() {
        Poll poll = new Poll(this);
        int n;
        synchronized (this) {
            if (closed) {
                return;
            }
            pending = poll;
            n = progress.pollSent(scheduler.now(TimeUnit.NANOSECONDS));
        }
        watcher.metrics().poll();
        Mono<CatalogTasksClient.Response> exchange;
        try {
            String requestId = watcher.options().clientRequestIds().get();
            if (log.isDebugEnabled()) {
                log.debug(
                        "poll #{} of task {} in zone {} (X-Client-Request-ID {})",
                        n,
                        key.taskId(),
                        key.zoneId(),
                        requestId);
            }
            exchange = watcher.client().exchange(key.zoneId(), key.taskId(), requestId);
        } catch (RuntimeException e) {
            answered(poll, null, e);
            return;
        }
        exchange.subscribe(poll);
    }

    /** Decides what an answer (or a failure) means and hands the outcome to every subscriber. */
    private void answered(Poll poll, CatalogTasksClient.@Nullable Response response, @Nullable Throwable failure) {
        WatchSubscription[] deliver;
        String outcome = null;
        WatchOptions.@Nullable RetrySignal retry;
        synchronized (this) {
            if (closed || pending != poll) {
                return; // answered after the loop stopped, or after the poll was replaced: not ours to act on
            }
            pending = null;
            long now = scheduler.now(TimeUnit.NANOSECONDS);
            Progress.Step step = response != null
                    ? progress.onResponse(response)
                    : progress.onFailure(failureOrMissing(failure), now);
            retry = step.retry();
            deliver = subscribers;
            Task emission = step.emission();
            WatchException fatal = step.fatal();
            if (step.terminal() && emission != null) {
                for (WatchSubscription s : deliver) {
                    s.finish(emission, progress.polls());
                }
                outcome = emission.status() == TaskStatus.FAILED ? "failed" : "completed";
            } else if (fatal != null) {
                for (WatchSubscription s : deliver) {
                    s.fail(fatal);
                }
                outcome = "error";
            } else {
                if (emission != null) {
                    for (WatchSubscription s : deliver) {
                        s.offer(emission);
                    }
                }
                outcome = waitForNextPoll(step, now);
            }
            if (outcome != null) {
                subscribers = NONE;
                close();
            }
        }
        for (WatchSubscription s : deliver) {
            s.drain();
        }
        if (retry != null && outcome == null) {
            watcher.options().retrying(retry); // outside the lock: the listener is the caller's code
        }
        if (outcome != null) {
            finished(outcome);
        }
    }

    /**
     * Schedules the next poll, first ending the subscribers whose deadline comes before a server-hinted wait ends.
     * Returns why the loop ends, or null when it goes on.
     */
    private @Nullable String waitForNextPoll(Progress.Step step, long now) {
        Duration hint = step.hint();
        if (hint != null) {
            WatchSubscription[] keep = subscribers;
            for (WatchSubscription s : subscribers) {
                if (s.endsBefore(now, step.delayNanos())) {
                    s.timeOut(progress, now, hint, step.cause());
                    keep = without(keep, s);
                }
            }
            subscribers = keep;
            if (keep.length == 0) {
                return "timeout";
            }
        }
        try {
            // At least a nanosecond: a zero delay may run inline on a virtual clock, inside this critical section.
            long delay = Math.max(1, step.delayNanos());
            pending = scheduler.schedule(this, delay, TimeUnit.NANOSECONDS);
            nextPollNanos = now + delay;
            return null;
        } catch (RejectedExecutionException e) {
            // The scheduler was disposed (an application shutting down): end with our error, not the scheduler's.
            WatchException fatal = progress.fatal(e);
            for (WatchSubscription s : subscribers) {
                s.fail(fatal);
            }
            return "error";
        }
    }

    /**
     * What this loop is doing now, read in one critical section so the fields agree; null if it has closed or has no
     * subscriber yet (registered, about to be joined).
     */
    synchronized TaskWatcher.@Nullable ActiveWatch snapshot() {
        if (closed || subscribers.length == 0) {
            return null;
        }
        long now = scheduler.now(TimeUnit.NANOSECONDS);
        int polls = progress.polls();
        Task seen = progress.lastSeen();
        Disposable next = pending;
        return new TaskWatcher.ActiveWatch(
                key.zoneId(),
                key.taskId(),
                seen == null ? null : seen.statusValue(),
                polls,
                Duration.ofNanos(polls == 0 ? 0 : Math.max(0, progress.sinceFirstPoll(now))),
                next == null || next instanceof Poll ? null : Duration.ofNanos(Math.max(0, nextPollNanos - now)),
                subscribers.length);
    }

    /**
     * Under the lock: drops every subscriber and closes the loop; returns its timer or request in flight, to dispose
     * outside the lock.
     */
    private @Nullable Disposable stopLocked() {
        subscribers = NONE;
        Disposable stop = pending;
        pending = null;
        close();
        return stop;
    }

    /** Leaves the registry, so that a subscriber re-watching from its onComplete gets a fresh loop. */
    private void close() {
        closed = true;
        watcher.unregister(key, this);
    }

    private void finished(String outcome) {
        Duration elapsed;
        int polls;
        synchronized (this) {
            elapsed = Duration.ofNanos(
                    progress.polls() == 0 ? 0 : progress.sinceFirstPoll(scheduler.now(TimeUnit.NANOSECONDS)));
            polls = progress.polls();
        }
        watcher.metrics().finished(outcome, elapsed);
        if (log.isDebugEnabled()) {
            log.debug(
                    "watch of task {} in zone {} ended: {} after {} polls in {}",
                    key.taskId(),
                    key.zoneId(),
                    outcome,
                    polls,
                    elapsed);
        }
    }

    private Throwable failureOrMissing(@Nullable Throwable failure) {
        return failure != null
                ? failure
                : new CatalogTransportException(
                        TaskRequests.line(watcher.client(), key.zoneId(), key.taskId()) + " ended without a response",
                        null,
                        true);
    }

    private int indexOf(WatchSubscription subscriber) {
        for (int i = 0; i < subscribers.length; i++) {
            if (subscribers[i] == subscriber) {
                return i;
            }
        }
        return -1;
    }

    private static WatchSubscription[] without(WatchSubscription[] from, WatchSubscription gone) {
        WatchSubscription[] out = new WatchSubscription[from.length - 1];
        int j = 0;
        for (WatchSubscription s : from) {
            if (s != gone) {
                out[j++] = s;
            }
        }
        return out;
    }

    /** One request: receives its answer and can abort it. */
    static final class Poll implements CoreSubscriber<CatalogTasksClient.Response>, Disposable {

        private static final AtomicReferenceFieldUpdater<Poll, Subscription> S =
                AtomicReferenceFieldUpdater.newUpdater(Poll.class, Subscription.class, "s");

        private final WatchLoop loop;
        private volatile @Nullable Subscription s;
        private boolean answered;

        Poll(WatchLoop loop) {
            this.loop = loop;
        }

        @Override
        public void onSubscribe(Subscription subscription) {
            if (Operators.setOnce(S, this, subscription)) {
                subscription.request(Long.MAX_VALUE);
            }
        }

        @Override
        public void onNext(CatalogTasksClient.Response response) {
            answered = true;
            loop.answered(this, response, null);
        }

        @Override
        public void onError(Throwable error) {
            if (!answered) {
                answered = true;
                loop.answered(this, null, error);
            }
        }

        @Override
        public void onComplete() {
            if (!answered) {
                answered = true;
                loop.answered(this, null, null);
            }
        }

        @Override
        public void dispose() {
            Operators.terminate(S, this);
        }

        @Override
        public boolean isDisposed() {
            return s == Operators.cancelledSubscription();
        }
    }
}
