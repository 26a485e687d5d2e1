package dev.taskwatch.benchmarks;

import java.net.URI;
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

    /** Adds {@code tasks} to {@code zone}; their scripted clocks start now. */
    void script(String zone, List<TaskScript> tasks);

    /** When the server started answering {@code completed} for a task (its transition time). */
    Instant completedAt(String zone, String taskId);

    /** How many task status requests {@code zone} has received so far. */
    long requests(String zone);

    /** A short name for reports. */
    String describe();

    @Override
    void close();
}
