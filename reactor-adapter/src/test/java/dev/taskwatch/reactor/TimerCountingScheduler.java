package dev.taskwatch.reactor;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.test.scheduler.VirtualTimeScheduler;

/**
 * A {@link VirtualTimeScheduler} that counts the timers still pending: scheduled, neither run nor disposed. A watch
 * that ended must leave none behind; a timer that merely fires later (and does nothing) would still be a leak.
 */
final class TimerCountingScheduler implements Scheduler {

    final VirtualTimeScheduler time = VirtualTimeScheduler.create();
    private final AtomicInteger pending = new AtomicInteger();

    int pendingTimers() {
        return pending.get();
    }

    @Override
    public Disposable schedule(Runnable task) {
        return schedule(task, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
        Counted counted = new Counted(task);
        pending.incrementAndGet();
        counted.delegate = time.schedule(counted, delay, unit);
        return counted;
    }

    @Override
    public long now(TimeUnit unit) {
        return time.now(unit);
    }

    @Override
    public Worker createWorker() {
        return time.createWorker();
    }

    private final class Counted implements Runnable, Disposable {
        private final Runnable task;
        private final java.util.concurrent.atomic.AtomicBoolean settled =
                new java.util.concurrent.atomic.AtomicBoolean();
        volatile Disposable delegate;

        Counted(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            if (settled.compareAndSet(false, true)) {
                pending.decrementAndGet();
                task.run();
            }
        }

        @Override
        public void dispose() {
            if (settled.compareAndSet(false, true)) {
                pending.decrementAndGet();
            }
            Disposable d = delegate;
            if (d != null) {
                d.dispose();
            }
        }

        @Override
        public boolean isDisposed() {
            return settled.get();
        }
    }
}
