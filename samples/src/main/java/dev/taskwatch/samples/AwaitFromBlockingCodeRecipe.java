package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.core.Task;
import dev.taskwatch.core.internal.SafeText;
import dev.taskwatch.reactor.TaskFailedException;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchException;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;

/**
 * Recipe: wait for a task from plain blocking code (a CLI, a test, a servlet), with a timeout. Block on a thread you
 * own, never on a Reactor thread.
 */
public final class AwaitFromBlockingCodeRecipe {

    private AwaitFromBlockingCodeRecipe() {}

    public static void main(String[] args) {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            sim.task("zone-1", "task-1")
                    .pending(Duration.ofMillis(300))
                    .running(Duration.ofMillis(700))
                    .completes("install-1");
            System.out.println(
                    "installed as " + awaitInstall(sim, "zone-1", "task-1").installId());
        }
    }

    /** Returns the completed task, or throws: {@link TaskFailedException} if it failed, another one if it could not tell. */
    static Task awaitInstall(CatalogSimulator sim, String zone, String task) {
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(Credentials.none())
                .build()) {
            TaskWatcher watcher = TaskWatcher.create(
                    client,
                    WatchOptions.defaults().initialDelay(Duration.ofMillis(200)).timeout(Duration.ofMinutes(1)));
            try {
                // The watcher's own timeout ends the wait with a WatchTimeoutException carrying the last status.
                return watcher.awaitCompleted(zone, task).block(Duration.ofMinutes(2));
            } catch (TaskFailedException e) {
                // The server's text, escaped before it reaches a terminal.
                System.err.println("install failed: "
                        + SafeText.escape(String.valueOf(e.lastTask().errorMessage()), 1000));
                throw e;
            } catch (WatchException e) {
                System.err.println("could not tell whether it installed: " + e.getMessage());
                throw e;
            }
        }
    }
}
