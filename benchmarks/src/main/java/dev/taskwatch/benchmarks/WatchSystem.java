package dev.taskwatch.benchmarks;

import java.net.URI;
import java.time.Instant;
import java.util.Locale;

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

    /** {@code {base}/zones/{zone}/catalog_tasks/{task}}; ids in the benchmarks never need escaping. */
    static String taskUrl(URI baseUrl, String zoneId, String taskId) {
        String base = baseUrl.toString();
        if (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        return base + "/zones/" + zoneId + "/catalog_tasks/" + taskId;
    }
}
