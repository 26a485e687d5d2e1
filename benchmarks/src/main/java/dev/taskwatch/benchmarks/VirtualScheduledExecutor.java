package dev.taskwatch.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded {@link ScheduledExecutorService} on a virtual clock, so the AWS {@code AsyncWaiter} can be run
 * in virtual time like the Reactor-based pollers: {@link #runAll()} executes everything scheduled, in time order,
 * jumping the clock from one task to the next. Only one-shot scheduling is supported (all the waiter uses).
 */
final class VirtualScheduledExecutor extends AbstractExecutorService implements ScheduledExecutorService {

    private record Entry(long at, long seq, Runnable task) {}

    private final PriorityQueue<Entry> queue =
            new PriorityQueue<>((a, b) -> a.at != b.at ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
    private long nowNanos;
    private long seq;
    private boolean shutdown;

    long nowMillis() {
        return TimeUnit.NANOSECONDS.toMillis(nowNanos);
    }

    /** Runs until nothing is scheduled or the clock passes {@code limitNanos}. */
    void runAll(long limitNanos) {
        Entry e;
        while ((e = queue.poll()) != null && e.at <= limitNanos) {
            nowNanos = Math.max(nowNanos, e.at);
            e.task.run();
        }
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Entry e = new Entry(nowNanos + Math.max(0, unit.toNanos(delay)), seq++, command);
        queue.add(e);
        return new Handle(e);
    }

    @Override
    public <V> ScheduledFuture<V> schedule(Callable<V> callable, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only Runnable one-shots are virtualised");
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shots are virtualised");
    }

    @Override
    public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
        throw new UnsupportedOperationException("only one-shots are virtualised");
    }

    @Override
    public void execute(Runnable command) {
        schedule(command, 0, TimeUnit.NANOSECONDS);
    }

    @Override
    public void shutdown() {
        shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
        shutdown = true;
        List<Runnable> pending = new ArrayList<>();
        queue.forEach(e -> pending.add(e.task));
        queue.clear();
        return pending;
    }

    @Override
    public boolean isShutdown() {
        return shutdown;
    }

    @Override
    public boolean isTerminated() {
        return shutdown && queue.isEmpty();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
        return isTerminated();
    }

    private final class Handle implements ScheduledFuture<Object> {
        private final Entry entry;
        private boolean cancelled;

        Handle(Entry entry) {
            this.entry = entry;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(entry.at - nowNanos, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), o.getDelay(TimeUnit.NANOSECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = queue.remove(entry);
            return cancelled;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled || !queue.contains(entry);
        }

        @Override
        public Object get() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            throw new UnsupportedOperationException();
        }
    }
}
