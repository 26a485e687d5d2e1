package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;

/**
 * The watcher's own cost per poll, without I/O: a whole watch of {@value #POLLS} polls (pending, running × 8,
 * completed) against an in-memory {@link CatalogTasksClient} lambda, with a scheduler that runs every delay at once
 * on the calling thread. Reported per poll; {@code source} is the same ten answers fetched without the watcher, so
 * {@code watch − source} is the watcher's overhead.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar WatcherBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WatcherBenchmark {

    static final int POLLS = 10;

    private static final Task PENDING = Task.of("task-1", TaskStatus.PENDING, null);
    private static final Task RUNNING = Task.of("task-1", TaskStatus.RUNNING, null);
    private static final Task COMPLETED = Task.of("task-1", TaskStatus.COMPLETED, "install-1");

    private int served;
    private CatalogTasksClient source;
    private TaskWatcher watcher;

    @Setup
    public void setUp() {
        source = (zone, task, requestId) -> Mono.fromSupplier(this::next);
        watcher = TaskWatcher.create(
                source,
                WatchOptions.defaults()
                        .initialDelay(Duration.ofMillis(1))
                        .maxDelay(Duration.ofMillis(1))
                        .jitter(0)
                        .scheduler(new RunAtOnce()));
    }

    private CatalogTasksClient.Response next() {
        int n = served++;
        Task t = n == 0 ? PENDING : n < POLLS - 1 ? RUNNING : COMPLETED;
        return new CatalogTasksClient.Response(t, null);
    }

    @Benchmark
    @OperationsPerInvocation(POLLS)
    public void watch(Blackhole bh) {
        served = 0;
        watcher.watch("zone-1", "task-1").subscribe(bh::consume);
    }

    @Benchmark
    @OperationsPerInvocation(POLLS)
    public void source(Blackhole bh) {
        served = 0;
        for (int i = 0; i < POLLS; i++) {
            source.exchange("zone-1", "task-1", null).subscribe(bh::consume);
        }
    }

    /** Runs every task, delayed or not, at once on the calling thread: the poll loop without timers. */
    static final class RunAtOnce implements Scheduler {
        @Override
        public Disposable schedule(Runnable task) {
            task.run();
            return Disposables.disposed();
        }

        @Override
        public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
            return schedule(task);
        }

        @Override
        public Worker createWorker() {
            return new Worker() {
                private volatile boolean disposed;

                @Override
                public Disposable schedule(Runnable task) {
                    if (!disposed) {
                        task.run();
                    }
                    return Disposables.disposed();
                }

                @Override
                public Disposable schedule(Runnable task, long delay, TimeUnit unit) {
                    return schedule(task);
                }

                @Override
                public void dispose() {
                    disposed = true;
                }

                @Override
                public boolean isDisposed() {
                    return disposed;
                }
            };
        }
    }
}
