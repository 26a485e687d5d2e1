package dev.taskwatch.core.guard;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler that counts its delayed tasks still pending: scheduled, neither run nor disposed. A watch that leaves a
 * backoff or deadline timer behind shows up here at once, even when the timer, once fired, would do nothing anyone
 * can see (a cancelled subscriber's deadline). Over a virtual clock it also tells a test how far to move time for the
 * next timer, so real I/O and virtual time can be interleaved without guessing.
 *
 * <p>In core's test-jar, for the other modules' tests.
 */
public final class LiveTimers implements Scheduler {

    private static final long ARMING = -1;

    private final Scheduler delegate;
    private final Map<Object, Long> live = new ConcurrentHashMap<>(); // timer → delay in nanoseconds

    public LiveTimers(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** Delayed tasks scheduled and neither run nor disposed yet. */
    public int pending() {
        return live.size();
    }

    /**
     * The shortest delay, in nanoseconds as scheduled, among the pending timers the delegate has queued; -1 when there
     * is none.
     */
    public long shortestPendingDelayNanos() {
        return live.values().stream()
                .mapToLong(Long::longValue)
                .filter(d -> d != ARMING)
                .min()
                .orElse(-1);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Object timer = new Object();
        // Counted at once, but offered as the next step only once the delegate holds it: a test that moved virtual
        // time between the two would move it past a timer the clock had not queued yet.
        live.put(timer, ARMING);
        Disposable scheduled = delegate.schedule(
                () -> {
                    live.remove(timer);
                    task.run();
                },
                delay,
                unit);
        live.replace(timer, unit.toNanos(delay)); // nothing to replace if it has already run
        return new Disposable() {
            @Override
            public void dispose() {
                live.remove(timer);
                scheduled.dispose();
            }

            @Override
            public boolean isDisposed() {
                return scheduled.isDisposed();
            }
        };
    }

    @Override
    public long now(TimeUnit unit) {
        return delegate.now(unit); // the virtual clock's, when the delegate is one
    }

    @Override
    public Disposable schedule(Runnable task) {
        return delegate.schedule(task);
    }

    @Override
    public Worker createWorker() {
        return delegate.createWorker();
    }

    @Override
    public void dispose() {
        delegate.dispose();
    }
}
