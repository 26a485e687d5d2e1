package dev.taskwatch.benchmarks;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The server side of a comparison: a catalog API on loopback that plays {@link TaskScript}s and says when each task
 * completed and how many requests a zone received. Lives in the coordinating JVM, so its CPU is never charged to
 * the system being measured.
 */
interface Workload extends AutoCloseable {

    /** The base URL clients are pointed at. */
    URI baseUrl();

    /**
     * Adds {@code tasks} to {@code zone}. The i-th task's clock starts {@code i × ramp / n} from now, when the measured
     * JVM starts its watch (it starts them at that pace), so every task lives its scripted life under watch.
     */
    void script(String zone, List<TaskScript> tasks, Duration ramp);

    /** When the server started answering {@code completed} for a task (its transition time). */
    Instant completedAt(String zone, String taskId);

    /** How many task status requests {@code zone} has received so far. */
    long requests(String zone);

    /** How many of {@code zone}'s tasks have received at least one request. */
    int tasksPolled(String zone);

    /**
     * The arrival times (epoch milliseconds) of {@code zone}'s recorded requests, one array per task, oldest first;
     * empty when the server records none. Complete only if the recording limit held the whole zone.
     */
    List<long[]> requestTimes(String zone);

    /** A short name for reports. */
    String describe();

    @Override
    void close();
}
