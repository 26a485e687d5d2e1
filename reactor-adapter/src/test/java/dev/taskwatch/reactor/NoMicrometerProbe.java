package dev.taskwatch.reactor;

import dev.taskwatch.core.Task;
import dev.taskwatch.core.TaskStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Loaded by {@link WatchMetricsTest} in a class loader without Micrometer: watches a scripted task with default
 * metrics (none) on a real scheduler and reports the statuses seen. A {@link NoClassDefFoundError} means the watcher
 * path touched Micrometer.
 */
public final class NoMicrometerProbe implements Callable<List<String>> {

    @Override
    public List<String> call() {
        ScriptedClient client =
                new ScriptedClient(Tasks.response("pending"), Tasks.response("running"), Tasks.redirect("inst-1"));
        WatchOptions options =
                WatchOptions.defaults().initialDelay(Duration.ofMillis(1)).jitter(0.1);
        return TaskWatcher.create(client, options)
                .watch(Tasks.ZONE, Tasks.TASK)
                .map(Task::status)
                .map(TaskStatus::wireValue)
                .collectList()
                .block(Duration.ofSeconds(10));
    }
}
