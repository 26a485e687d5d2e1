package dev.taskwatch.benchmarks;

import java.net.URI;

/** taskwatch: {@code TaskWatcher.watch} with its default options over {@code CatalogTasksClient}. */
final class TaskwatchSystem {

    private TaskwatchSystem() {}

    static WatchSystem create(URI baseUrl) {
        // Wired in once reactor-adapter's TaskWatcher is merged.
        throw new UnsupportedOperationException("TaskWatcher is not on this branch yet");
    }
}
