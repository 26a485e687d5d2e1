package dev.taskwatch.benchmarks;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

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

    /**
     * Releases connection pools (closing their connections), event loops and executors. The comparison closes the
     * warmed-up system and builds a new one, so every system starts its measured phase without connections.
     */
    @Override
    void close();

    /** Where a watch ends. */
    interface Listener {
        /** The system reported the task completed, at {@code at} (wall clock, to compare with the server's). */
        void completed(Instant at);

        /** The watch ended without seeing completion. */
        void failed(Throwable error);
    }

    /** The systems of the comparison, in report order; each polls on the {@link Schedule} it is created with. */
    enum Kind {
        TASKWATCH("taskwatch", "taskwatch"),
        AZURE("azure", "azure-core PollerFlux"),
        AWS("aws", "aws AsyncWaiter (netty-nio-client)"),
        AWS_REACTOR("aws-reactor", "aws AsyncWaiter (Reactor Netty)"),
        FLOOR("floor", "floor");

        /** The name on the command line ({@code --systems}) and in zone ids. */
        final String cliName;

        final String label;

        Kind(String cliName, String label) {
            this.cliName = cliName;
            this.label = label;
        }

        static Kind parse(String name) {
            String wanted = name.trim().toLowerCase(Locale.ROOT);
            for (Kind k : values()) {
                if (k.cliName.equals(wanted)) {
                    return k;
                }
            }
            throw new IllegalArgumentException(
                    "unknown system " + name + " (known: taskwatch, azure, aws, aws-reactor," + " floor)");
        }

        WatchSystem create(URI baseUrl, Schedule schedule) {
            return switch (this) {
                case TASKWATCH -> new TaskwatchSystem(baseUrl, schedule);
                case AZURE -> new AzurePollerSystem(baseUrl, schedule);
                case AWS -> AwsWaiterSystem.overSdkNettyNio(baseUrl, schedule);
                case AWS_REACTOR -> AwsWaiterSystem.overReactorNetty(baseUrl, schedule);
                case FLOOR -> new FloorSystem(baseUrl, schedule);
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

    /**
     * A Reactor Netty pool of the shape taskwatch's client uses (64 connections, no limit on waiting acquisitions), for
     * the systems that bring their own Reactor Netty client, so no system is helped or hurt by its pool size.
     */
    static ConnectionProvider pool(String name) {
        return ConnectionProvider.builder(name)
                .maxConnections(64)
                .pendingAcquireMaxCount(-1)
                .build();
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
