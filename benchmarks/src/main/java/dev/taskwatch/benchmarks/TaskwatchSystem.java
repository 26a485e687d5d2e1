package dev.taskwatch.benchmarks;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.TaskStatus;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import java.net.URI;

/**
 * taskwatch as its README shows it: one {@link CatalogTasksClient} with its defaults (a 64-connection pool), one
 * {@link TaskWatcher}, and {@code watch(zone, task)} per task; the completion is the moment the {@code Flux} emits
 * the completed Task. The schedule is set through {@link WatchOptions}: {@code initialDelay}, {@code multiplier},
 * {@code maxDelay}, {@code jitter(0)}; what the engine does with it on a status transition is the engine's business.
 */
final class TaskwatchSystem implements WatchSystem {

    private final CatalogTasksClient client;
    private final TaskWatcher watcher;

    TaskwatchSystem(URI baseUrl, Schedule schedule) {
        this.client = CatalogTasksClient.builder()
                .baseUrl(baseUrl)
                .credentials(Credentials.none())
                .build();
        this.watcher = TaskWatcher.create(
                client,
                WatchOptions.defaults()
                        .initialDelay(schedule.initial())
                        .multiplier(schedule.multiplier())
                        .maxDelay(schedule.max())
                        .jitter(0));
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
