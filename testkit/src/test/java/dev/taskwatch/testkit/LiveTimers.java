package dev.taskwatch.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;

/**
 * A scheduler that counts its delayed tasks still pending: scheduled, neither run nor disposed. A watch that leaves a
 * backoff or deadline timer behind shows up here at once, even when the timer, once fired, would do nothing anyone
 * can see (a cancelled subscriber's deadline).
 */
final class LiveTimers implements Scheduler {

    private final Scheduler delegate;
    private final Set<Object> live = ConcurrentHashMap.newKeySet();

    LiveTimers(Scheduler delegate) {
        this.delegate = delegate;
    }

    /** Delayed tasks scheduled and neither run nor disposed yet. */
    int pending() {
        return live.size();
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Object timer = new Object();
        live.add(timer);
        Disposable scheduled = delegate.schedule(
                () -> {
                    live.remove(timer);
                    task.run();
                },
                delay,
                unit);
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
