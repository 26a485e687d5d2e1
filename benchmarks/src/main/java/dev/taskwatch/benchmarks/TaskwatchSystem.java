package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.net.URI;

/**
 * taskwatch as its README shows it: one {@link CatalogTasksClient} with its defaults, one {@link TaskWatcher} with
 * {@link WatchOptions#defaults()}, and {@code watch(zone, task)} per task; the completion is the moment the
 * {@code Flux} emits the completed Task.
 */
final class TaskwatchSystem implements WatchSystem {

    private final CatalogTasksClient client;
    private final TaskWatcher watcher;

    private TaskwatchSystem(URI baseUrl) {
        this.client = CatalogTasksClient.builder()
                .baseUrl(baseUrl)
                .credentials(Credentials.none())
                .build();
        this.watcher = TaskWatcher.create(client, WatchOptions.defaults());
    }

    static WatchSystem create(URI baseUrl) {
        return new TaskwatchSystem(baseUrl);
    }

    @Override
    public void watch(String zoneId, String taskId, Listener listener) {
        WatchSystem.report(
                watcher.watch(zoneId, taskId),
                task -> task.status() == TaskStatus.COMPLETED,
                task -> task.status().isTerminal(),
                listener);
    }

    @Override
    public void close() {
        client.close();
    }
}
