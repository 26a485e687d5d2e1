package dev.taskwatch.samples;

import dev.taskwatch.core.CatalogTasksClient;
import dev.taskwatch.core.Credentials;
import dev.taskwatch.reactor.TaskWatcher;
import dev.taskwatch.reactor.WatchOptions;
import dev.taskwatch.testkit.CatalogSimulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Recipe: wait for many installs in parallel and stop at the first failure. {@code flatMap} cancels the other watches
 * as soon as one errors, so nothing keeps polling for an outcome nobody needs; a summary says what each task did.
 */
public final class OrchestrateInstallsRecipe {

    private OrchestrateInstallsRecipe() {}

    public static void main(String[] args) {
        try (CatalogSimulator sim = CatalogSimulator.start()) {
            List<String> tasks =
                    IntStream.rangeClosed(1, 10).mapToObj(i -> "install-" + i).toList();
            for (int i = 0; i < tasks.size(); i++) {
                var script = sim.task("zone-1", tasks.get(i)).running(Duration.ofMillis(400L * (i + 1)));
                if (i == 3) {
                    script.fails("quota exceeded");
                }
            }
            run(sim, "zone-1", tasks).forEach((task, outcome) -> System.out.printf("%-12s %s%n", task, outcome));
        }
    }

    /** Watches every task; returns each one's outcome: its final status, the failure, or "cancelled". */
    static Map<String, String> run(CatalogSimulator sim, String zone, List<String> tasks) {
        Map<String, String> outcomes = new ConcurrentHashMap<>();
        try (CatalogTasksClient client = CatalogTasksClient.builder()
                .baseUrl(sim.baseUrl())
                .credentials(Credentials.none())
                .build()) {
            TaskWatcher watcher = TaskWatcher.create(
                    client,
                    WatchOptions.defaults().initialDelay(Duration.ofMillis(100)).maxDelay(Duration.ofSeconds(1)));
            Flux.fromIterable(tasks)
                    .flatMap(task -> watcher.awaitCompleted(zone, task)
                            .doOnNext(done -> outcomes.put(task, "completed " + done.installId()))
                            .doOnError(e -> outcomes.put(task, "failed: " + e.getMessage()))
                            .doOnCancel(() -> outcomes.putIfAbsent(task, "cancelled")))
                    .then()
                    .onErrorResume(e -> Mono.empty()) // the failure is in the summary
                    .block(Duration.ofMinutes(1));
        }
        return new java.util.TreeMap<>(outcomes);
    }
}
