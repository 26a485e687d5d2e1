package dev.taskwatch.benchmarks;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/**
 * One way of waiting for a catalog task to complete: taskwatch, a peer poller, or the bare floor. Each
 * implementation is set up the way its own documentation shows, pointed at the same loopback server.
 */
interface WatchSystem extends AutoCloseable {

    /**
     * Starts waiting for a task without blocking; {@code listener} hears exactly once, from whatever thread the
     * system delivers on.
     */
    void watch(String zoneId, String taskId, Listener listener);

    /** Releases connection pools, event loops and executors. */
    @Override
    void close();

    /** Where a watch ends. */
    interface Listener {
        /** The system reported the task completed, at {@code at} (wall clock, to compare with the server's). */
        void completed(Instant at);

        /** The watch ended without seeing completion. */
        void failed(Throwable error);
    }

    /** The systems of the comparison, in report order. */
    enum Kind {
        TASKWATCH("taskwatch"),
        AZURE("azure-core PollerFlux"),
        AWS("aws AsyncWaiter"),
        FLOOR("floor");

        final String label;

        Kind(String label) {
            this.label = label;
        }

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Kind parse(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }

        WatchSystem create(URI baseUrl) {
            return switch (this) {
                case TASKWATCH -> TaskwatchSystem.create(baseUrl);
                case AZURE -> new AzurePollerSystem(baseUrl);
                case AWS -> new AwsWaiterSystem(baseUrl);
                case FLOOR -> new FloorSystem(baseUrl);
            };
        }
    }

    /**
     * Subscribes to a system's whole stream and tells {@code listener} about its terminal element, the moment it is
     * emitted. Never cancels: a watch that ends by itself is the normal case, and cancelling costs some pollers extra
     * work (a shared {@code replay} builds a {@code CancellationException}) that no user waiting for the end pays.
     */
    static <T> void report(Flux<T> stream, Predicate<T> completed, Predicate<T> terminal, Listener listener) {
        AtomicBoolean told = new AtomicBoolean();
        Disposable unused = stream.subscribe(
                item -> {
                    if (terminal.test(item) && told.compareAndSet(false, true)) {
                        if (completed.test(item)) {
                            listener.completed(Instant.now());
                        } else {
                            listener.failed(new IllegalStateException("ended without completing: " + item));
                        }
                    }
                },
                error -> {
                    if (told.compareAndSet(false, true)) {
                        listener.failed(error);
                    }
                },
                () -> {
                    if (told.compareAndSet(false, true)) {
                        listener.failed(new IllegalStateException("ended without a terminal status"));
                    }
                });
    }

    /** {@code {base}/zones/{zone}/catalog_tasks/{task}}; ids in the benchmarks never need escaping. */
    static String taskUrl(URI baseUrl, String zoneId, String taskId) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/zones/" + zoneId + "/catalog_tasks/" + taskId;
    }
}
